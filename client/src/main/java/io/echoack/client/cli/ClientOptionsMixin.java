package io.echoack.client.cli;

import io.echoack.client.net.EchoAckClient;
import io.echoack.common.codec.ReplyMode;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of the commands that talk to one endpoint and may resend datagrams ({@code send}, {@code chat},
 * {@code check}): the options every command shares ({@link ConnectionOptionsMixin}) and {@code --retries}, which
 * {@code bench} does not have (it never resends). Defaults and variables come from {@link ClientSetting}:
 * {@code ECHOACK_*} variables where set, so that a container needs no extra flags.
 */
final class ClientOptionsMixin {

    @Mixin
    ConnectionOptionsMixin connection;

    @Option(names = "--retries", paramLabel = "N", converter = CountConverter.class,
            description = "UDP and Unix datagram only: how often to resend a message that got no reply.")
    int retries;

    /**
     * A builder with these options and a single event-loop thread, which is all one command needs. The
     * command prints the TLS warnings itself ({@link TlsOptionsMixin#warn}): {@code check} is quiet.
     *
     * @throws ParameterException (a usage error) for an out-of-range number, or TLS or PROXY options that do not
     *                            fit
     */
    EchoAckClient.Builder clientBuilder(CommandLine commandLine) {
        if (connection.maxFrameLength <= 0) {
            throw new ParameterException(commandLine, "--max-frame must be > 0, was " + connection.maxFrameLength);
        }
        return EchoAckClient.builder()
                .tls(connection.tls.options(commandLine))
                .transport(connection.transport)
                .timeout(connection.timeout)
                .retries(retries)
                .mode(connection.mode == null ? ReplyMode.ACK : connection.mode)
                .framing(connection.framing)
                .maxFrameLength(connection.maxFrameLength)
                .proxyHeader(connection.proxy.header(commandLine).orElse(null))
                .ioThreads(1);
    }
}

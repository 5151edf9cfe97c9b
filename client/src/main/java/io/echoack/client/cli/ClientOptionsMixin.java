package io.echoack.client.cli;

import io.echoack.client.net.EchoAckClient;
import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.transport.Transport;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every command shares: how long to wait, how often to resend datagrams, what the server is
 * expected to do and how messages are framed, and TLS ({@link TlsOptionsMixin}). Defaults and variables come
 * from {@link ClientSetting}: {@code ECHOACK_*} variables where set, so that a container needs no extra flags.
 */
final class ClientOptionsMixin {

    @Mixin
    TlsOptionsMixin tls;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for each reply (each attempt, on datagrams) and for a connection, "
                    + "e.g. 500ms, 2s.")
    Duration timeout;

    @Option(names = "--retries", paramLabel = "N", converter = CountConverter.class,
            description = "UDP and Unix datagram only: how often to resend a message that got no reply.")
    int retries;

    @Option(names = "--mode", paramLabel = "MODE", converter = WireOptionConverters.ModeConverter.class,
            completionCandidates = WireOptionConverters.ModeNames.class,
            description = "What the server answers: ${COMPLETION-CANDIDATES}. With echo every reply must be the "
                    + "message itself, else exit code 8; with raw framing, echo also means a reply is as long as the "
                    + "message.")
    ReplyMode mode;

    @Option(names = "--framing", paramLabel = "FRAMING", converter = WireOptionConverters.FramingConverter.class,
            completionCandidates = WireOptionConverters.FramingNames.class,
            description = "Streams only: ${COMPLETION-CANDIDATES}. Use raw for servers that answer without a "
                    + "newline, like the tutorial's.")
    Framing framing;

    @Option(names = "--transport", paramLabel = "TRANSPORT",
            converter = WireOptionConverters.TransportConverter.class,
            completionCandidates = WireOptionConverters.TransportNames.class,
            description = "Netty transport: ${COMPLETION-CANDIDATES}; auto picks epoll, then kqueue, then nio.")
    Transport transport;

    @Option(names = "--max-frame", paramLabel = "BYTES", description = "Longest message and reply accepted, in bytes.")
    int maxFrameLength;

    /**
     * A builder with these options and a single event-loop thread, which is all one command needs. The
     * command prints the TLS warnings itself ({@link TlsOptionsMixin#warn}): {@code check} is quiet.
     *
     * @throws ParameterException (a usage error) for an out-of-range number or TLS options that do not fit
     */
    EchoAckClient.Builder clientBuilder(CommandLine commandLine) {
        if (maxFrameLength <= 0) {
            throw new ParameterException(commandLine, "--max-frame must be > 0, was " + maxFrameLength);
        }
        return EchoAckClient.builder()
                .tls(tls.options(commandLine))
                .transport(transport)
                .timeout(timeout)
                .retries(retries)
                .mode(mode == null ? ReplyMode.ACK : mode)
                .framing(framing)
                .maxFrameLength(maxFrameLength)
                .ioThreads(1);
    }
}

package io.echoack.client.cli;

import io.echoack.client.net.ClientOptions;
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
 * expected to do and how messages are framed, and TLS ({@link TlsOptionsMixin}). Defaults come from
 * {@code ECHOACK_*} environment variables where set, so that a container needs no extra flags.
 */
final class ClientOptionsMixin {

    @Mixin
    TlsOptionsMixin tls;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:ECHOACK_TIMEOUT:-5s}",
            description = "How long to wait for each reply (each attempt, on datagrams) and for a connection, "
                    + "e.g. 500ms, 2s (default: ${DEFAULT-VALUE}; env ECHOACK_TIMEOUT).")
    Duration timeout;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "${env:ECHOACK_RETRIES:-2}",
            description = "UDP and Unix datagram only: how often to resend a message that got no reply "
                    + "(default: ${DEFAULT-VALUE}; env ECHOACK_RETRIES).")
    int retries;

    @Option(names = "--mode", paramLabel = "MODE", converter = WireOptionConverters.ModeConverter.class,
            completionCandidates = WireOptionConverters.ModeNames.class,
            description = "What the server answers: ${COMPLETION-CANDIDATES} (default: ack, unless the endpoint "
                    + "says ?mode=). With echo every reply must be the message itself, else exit code 8; with "
                    + "raw framing, echo also means a reply is as long as the message.")
    ReplyMode mode;

    @Option(names = "--framing", paramLabel = "FRAMING", converter = WireOptionConverters.FramingConverter.class,
            completionCandidates = WireOptionConverters.FramingNames.class,
            description = "Streams only: ${COMPLETION-CANDIDATES} (default: line, unless the endpoint says "
                    + "?framing=). Use raw for servers that answer without a newline, like the tutorial's.")
    Framing framing;

    @Option(names = "--transport", paramLabel = "TRANSPORT",
            converter = WireOptionConverters.TransportConverter.class,
            completionCandidates = WireOptionConverters.TransportNames.class,
            defaultValue = "${env:ECHOACK_TRANSPORT:-auto}",
            description = "Netty transport: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: epoll, then "
                    + "kqueue, then nio; env ECHOACK_TRANSPORT).")
    Transport transport;

    @Option(names = "--max-frame", paramLabel = "BYTES",
            description = "Longest message and reply accepted, in bytes (default: ${DEFAULT-VALUE}).")
    int maxFrameLength = ClientOptions.DEFAULT_MAX_FRAME_LENGTH;

    /**
     * A builder with these options and a single event-loop thread, which is all one command needs. The
     * command prints the TLS warnings itself ({@link TlsOptionsMixin#warn}): {@code check} is quiet.
     *
     * @throws ParameterException (a usage error) for an out-of-range number or TLS options that do not fit
     */
    EchoAckClient.Builder clientBuilder(CommandLine commandLine) {
        if (retries < 0) {
            throw new ParameterException(commandLine, "--retries must be >= 0, was " + retries);
        }
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

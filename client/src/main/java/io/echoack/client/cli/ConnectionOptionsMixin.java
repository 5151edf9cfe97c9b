package io.echoack.client.cli;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.transport.Transport;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every command shares, {@code bench} included: how long to wait, what the server is expected to
 * do, how messages are framed, the transport, the longest message, TLS ({@link TlsOptionsMixin}) and a PROXY
 * protocol header ({@link ProxyOptionsMixin}). Declared
 * once so that an option reads the same in every command's help. Defaults and variables come from
 * {@link ClientSetting}. The commands that resend datagrams add {@code --retries} ({@link ClientOptionsMixin}).
 */
final class ConnectionOptionsMixin {

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for each reply (each attempt, on datagrams) and for a connection, "
                    + "e.g. 500ms, 2s.")
    Duration timeout;

    @Option(names = "--mode", paramLabel = "MODE", converter = WireOptionConverters.ModeConverter.class,
            completionCandidates = WireOptionConverters.ModeNames.class,
            description = "What the server answers: ${COMPLETION-CANDIDATES}. With echo every reply must be the "
                    + "message itself, else exit code 8; with raw framing, echo also means a reply is as long as the "
                    + "message, and info (identity replies) that a reply is a line.")
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

    /** Last but one, so that the TLS options follow the others in a help that keeps declaration order. */
    @Mixin
    TlsOptionsMixin tls;

    /** Last: the PROXY header options. */
    @Mixin
    ProxyOptionsMixin proxy;
}

package io.echoack.client.testing;

import io.echoack.client.net.AckTexts;
import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One cell of the protocol matrix: endpoint kind x reply mode x stream framing (none for datagrams), with the
 * listen URI that makes a server serve exactly that, and the reply a message must get.
 */
public record WireCase(EndpointKind kind, ReplyMode mode, Framing framing) {

    /**
     * Every cell: 5 kinds x 2 modes (ack and echo; info replies, which vary, have tests of their own) x
     * (3 framings on streams). A server of tls:// cells needs a certificate.
     */
    public static List<WireCase> all() {
        List<WireCase> cases = new ArrayList<>();
        for (EndpointKind kind : EndpointKind.values()) {
            for (ReplyMode mode : List.of(ReplyMode.ACK, ReplyMode.ECHO)) {
                if (kind.isStream()) {
                    Arrays.stream(Framing.values()).forEach(f -> cases.add(new WireCase(kind, mode, f)));
                } else {
                    cases.add(new WireCase(kind, mode, null));
                }
            }
        }
        return cases;
    }

    /** The cells a transport can serve (NIO has no Unix datagram sockets). */
    public static List<WireCase> supportedBy(Transport transport) {
        return all().stream().filter(c -> transport.supports(c.kind())).toList();
    }

    /** The URI a server listens on for this cell; Unix socket files go into {@code dir}. */
    public String listenUri(Path dir) {
        String query = "?mode=" + mode.id() + (framing == null ? "" : "&framing=" + framing.id());
        return switch (kind) {
            case TCP, UDP, TLS -> kind.scheme() + "://127.0.0.1:0" + query;
            case UNIX, UNIXGRAM -> kind.scheme() + "://" + dir.resolve(shortName() + ".sock") + query;
        };
    }

    private String shortName() {
        return kind.scheme().charAt(0) + kind.scheme().substring(kind.scheme().length() - 1) + "-" + mode.id()
                + (framing == null ? "" : "-" + framing.id());
    }

    /** The reply text the server sends to {@code message} (the CLI prints it without line terminator). */
    public String expectedReply(String message) {
        return mode == ReplyMode.ECHO ? message : AckTexts.defaultFor(kind);
    }

    public byte[] expectedReply(byte[] message) {
        return mode == ReplyMode.ECHO ? message : AckTexts.defaultFor(kind).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return kind.scheme() + " " + mode.id() + (framing == null ? "" : " " + framing.id());
    }
}

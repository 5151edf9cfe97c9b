package io.echoack.client.net;

import io.netty.channel.ConnectTimeoutException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * What kind of failure ended an exchange, coarse enough for a script to act on: was the probe dropped
 * ({@link #TIMEOUT}), rejected ({@link #REFUSED}), cut off ({@link #RESET}), never addressed
 * ({@link #RESOLVE}), refused by TLS ({@link #TLS}), or answered wrongly ({@link #WRONG_REPLY})?
 * Every {@link EchoAckClientException} has one ({@link EchoAckClientException#kind()}); {@link #of(Throwable)}
 * classifies the I/O exceptions Netty and the JDK report.
 */
public enum FailureKind {
    /** No reply, or no connection, within the timeout: the message or the connect attempt was dropped. */
    TIMEOUT,
    /** Nothing listens there: TCP RST to the SYN, ICMP port unreachable, no Unix socket file or server. */
    REFUSED,
    /** An established connection was reset or closed by the peer before the reply arrived. */
    RESET,
    /** The host name does not resolve. */
    RESOLVE,
    /** The TLS handshake failed. */
    TLS,
    /** A reply arrived but was not the expected one (or was malformed, too long, unsolicited). */
    WRONG_REPLY,
    /** Anything else. */
    OTHER;

    /** The lower-case name used in reports and JSON, e.g. {@code wrong_reply}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Classifies a failure by walking its cause chain: the client's own exceptions know their kind; JDK and
     * Netty I/O exceptions are classified by type and, for native errors, by their message.
     */
    public static FailureKind of(Throwable failure) {
        // A connection closed because its TLS failed is a TLS failure, however it surfaced: with TLS 1.3 the
        // server refuses a client certificate after the client's handshake is done, so the client may first
        // see its connection closed, with the server's alert as the cause.
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return TLS;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            FailureKind kind = direct(t);
            if (kind != null) {
                return kind;
            }
        }
        return OTHER;
    }

    /**
     * True when {@code failure} is, or was caused by, the peer resetting an established connection: an RST (on a
     * Unix socket, the peer's close with data of ours unread), which every transport reports as an I/O error,
     * "Connection reset" (NIO), "...failed with error(-104): Connection reset by peer" (epoll, io_uring), or, on
     * a write into a connection already gone, "Broken pipe". Finer than {@link #RESET}, which also covers a clean
     * close: a FIN raises no error at all, the client reads end of stream (the library then reports a
     * {@link ConnectionClosedException#isClosedByServer()}).
     */
    public static boolean isReset(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException && !(t instanceof SSLException)) {
                String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (message.contains("connection reset") || message.contains("broken pipe")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static FailureKind direct(Throwable t) {
        if (t instanceof EchoAckClientException client && client.ownKind() != null) {
            return client.ownKind();
        }
        // ConnectTimeoutException is a ConnectException: test it first.
        if (t instanceof ConnectTimeoutException || t instanceof SocketTimeoutException
                || t instanceof TimeoutException) {
            return TIMEOUT;
        }
        if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
            return RESOLVE;
        }
        if (t instanceof SSLException) {
            return TLS;
        }
        if (t instanceof ConnectException && isReset(t)) {
            return RESET; // the handshake was done: the server accepted the connection, then reset it (a limit)
        }
        if (t instanceof ConnectException || t instanceof PortUnreachableException
                || t instanceof FileNotFoundException || t instanceof NoSuchFileException) {
            return REFUSED;
        }
        if (t instanceof ClosedChannelException) {
            return RESET;
        }
        if (t instanceof IOException) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("refused") || message.contains("no such file")) {
                return REFUSED;
            }
            if (message.contains("reset") || message.contains("broken pipe") || message.contains("closed")) {
                return RESET;
            }
            if (message.contains("timed out")) {
                return TIMEOUT;
            }
        }
        return null;
    }
}

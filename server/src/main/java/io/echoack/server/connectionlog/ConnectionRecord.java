package io.echoack.server.connectionlog;

import io.echoack.server.proxy.ProxiedConnection;
import java.net.SocketAddress;

/**
 * What one connection log line says, as the event loop hands it over: values only, made into text by
 * {@link ConnectionLine} on the writer thread.
 *
 * @param listener         the listener's label (its configured address; the log shows the bound one)
 * @param local            the socket's local address (the address the client connected to)
 * @param peer             the socket's peer address; null for an unnamed Unix-socket client
 * @param client           the client's address: the PROXY header's source, else the peer
 * @param proxied          what an accepted PROXY header said; null without one
 * @param tlsVersion       the TLS protocol version ({@code TLSv1.3}); null on plaintext or before a handshake
 * @param sni              the server name the TLS client asked for (SNI); null when it sent none
 * @param openedMillis     when the connection was accepted, in milliseconds since the epoch
 * @param closedMillis     when it closed, in milliseconds since the epoch
 * @param durationNanos    how long it was open, on the monotonic clock
 * @param messagesReceived messages received (lines, frames or reads, as the listener frames them)
 * @param bytesReceived    bytes of those messages, framing included
 * @param messagesSent     replies written
 * @param bytesSent        bytes of those replies, framing included
 * @param end              how it ended: a {@link ConnectionEnd} or {@code CloseReason} label
 */
record ConnectionRecord(String listener, SocketAddress local, SocketAddress peer, SocketAddress client,
                        ProxiedConnection proxied, String tlsVersion, String sni, long openedMillis,
                        long closedMillis, long durationNanos, long messagesReceived, long bytesReceived,
                        long messagesSent, long bytesSent, String end) {
}

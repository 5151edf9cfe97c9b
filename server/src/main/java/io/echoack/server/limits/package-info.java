/**
 * The limits of every listener: per-connection limits of stream listeners (how many connections, from where,
 * how long they may stall), the settings of the UDP reflection guard (enforced in {@code datagram}), the one
 * owner of a connection's reading ({@link io.echoack.server.limits.ReadGate}), and the rate-limited WARN lines
 * that say when any limit of the server refuses connections or datagrams.
 */
package io.echoack.server.limits;

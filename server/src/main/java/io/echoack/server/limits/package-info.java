/**
 * Per-connection limits of stream listeners (how many connections, from where, how long they may stall), and
 * the rate-limited WARN lines that say when any limit of the server refuses connections or datagrams.
 */
package io.echoack.server.limits;

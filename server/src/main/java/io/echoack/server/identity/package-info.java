/**
 * Identity replies (reply mode {@code info}): who this server is ({@code --identity}, host name, version) and what
 * it saw of each connection or datagram (addresses before and after PROXY, TLS), written as one reply.
 */
package io.echoack.server.identity;

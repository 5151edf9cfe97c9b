/**
 * The datagram listeners (UDP, Unix datagram): one datagram is one message, answered to its sender. The
 * pipeline is built by {@link io.echoack.server.datagram.DatagramServerInitializer}; UDP listeners put the
 * reflection guard ({@link io.echoack.server.datagram.ReflectionGuard}, with the {@code --allow} ranges) in
 * front of the responder, so that the server cannot be used as a DDoS reflector or amplifier.
 */
package io.echoack.server.datagram;

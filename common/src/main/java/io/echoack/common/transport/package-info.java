/** Choice of Netty transport (epoll, kqueue, io_uring, NIO) and the channel classes each one offers. */
package io.echoack.common.transport;

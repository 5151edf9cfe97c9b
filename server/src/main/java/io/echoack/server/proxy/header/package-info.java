/**
 * Reading a stream connection's PROXY protocol header: from which peers it is trusted, how long it may take,
 * and the handler that reads it (with Netty's decoder) before any gate or handler sees the connection.
 */
package io.echoack.server.proxy.header;

/** The datagram listeners (UDP, Unix datagram): one datagram is one message, answered to its sender. */
package io.echoack.server.datagram;

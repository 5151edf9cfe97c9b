/** Framing of messages on stream sockets and the reply modes, as Netty codecs shared by server and client. */
package io.echoack.common.codec;

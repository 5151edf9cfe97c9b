/** TLS on {@code tls://} listeners: settings, the server's one SslContext, and the handlers around SslHandler. */
package io.echoack.server.tls;

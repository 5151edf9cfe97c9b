/** What one listener's pipelines are built from, so the stream and datagram packages need not know the config. */
package io.echoack.server.listener;

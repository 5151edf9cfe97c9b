/** The server's standard output (printed messages, the connection log), written without ever blocking an event loop. */
package io.echoack.server.output;

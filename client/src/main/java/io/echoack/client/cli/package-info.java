/** The {@code echoack} command line: send, chat and check, thin commands over the client library. */
package io.echoack.client.cli;

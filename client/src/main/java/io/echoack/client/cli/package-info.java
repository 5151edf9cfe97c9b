/** The {@code echoack} command line: send, chat, check and bench, thin commands over the client library. */
package io.echoack.client.cli;

/** The wire form of {@code info} replies (the text and JSON formats), written by the server and read by the client. */
package io.echoack.common.info;

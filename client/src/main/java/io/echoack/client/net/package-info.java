/** The echoack client library: connect to any endpoint kind, send messages, await their replies. */
package io.echoack.client.net;

/**
 * The PROXY protocol (v1 and v2) on stream listeners: which connections must or may start with a header, from
 * which sources it is trusted, and what the decoded header says about the connection's client.
 */
package io.echoack.server.proxy;

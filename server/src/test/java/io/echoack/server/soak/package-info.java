/** The socket-level fuzz/soak test: a thousand connections doing anything; the server stays correct and clean. */
package io.echoack.server.soak;

/** The socket-level fuzz/soak test: a thousand connections doing anything, and a server that stays correct and clean. */
package io.echoack.server.soak;

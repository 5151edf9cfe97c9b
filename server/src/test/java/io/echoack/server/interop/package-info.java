/** Interoperability tests: the tutorial's C clients, nc and socat against a real echoack server. */
package io.echoack.server.interop;

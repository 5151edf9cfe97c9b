/** Test support: child processes with bounded waits, the packaged server as a process, tool lookup. */
package io.echoack.server.testing;

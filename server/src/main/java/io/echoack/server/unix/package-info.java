/** Unix-domain socket files: telling a live server's socket from a stale one, and cleaning up. */
package io.echoack.server.unix;

/** Settings a running server can change without rebinding: one value now, replaced whole by a reload (SIGHUP). */
package io.echoack.server.live;

/** Per-connection limits of stream listeners: how many connections, from where, and how long they may stall. */
package io.echoack.server.limits;

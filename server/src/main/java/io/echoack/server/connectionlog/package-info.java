/**
 * The connection log ({@code --connection-log}): one line per stream connection when it ends, with its addresses,
 * TLS name and version, times, messages and bytes each way, and how it ended.
 */
package io.echoack.server.connectionlog;

/** The {@code echoack-server} command line: flags to a {@link io.echoack.server.config.ServerConfig}, signals, exit codes. */
package io.echoack.server.cli;

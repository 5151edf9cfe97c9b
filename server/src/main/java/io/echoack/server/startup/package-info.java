/** Why the server could not start: the one exception every start-up step throws, mapped to an exit code by the CLI. */
package io.echoack.server.startup;

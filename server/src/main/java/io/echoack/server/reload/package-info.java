/** Applying a changed configuration to a running server (SIGHUP): what can change without rebinding, and what cannot. */
package io.echoack.server.reload;

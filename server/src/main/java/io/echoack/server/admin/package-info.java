/** The admin HTTP endpoint ({@code /metrics}, {@code /healthz}, {@code /readyz}): its listener and pipeline, on the server's own event loops. */
package io.echoack.server.admin;

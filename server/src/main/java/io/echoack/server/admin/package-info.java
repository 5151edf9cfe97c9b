/** The admin HTTP endpoint: {@code /metrics}, {@code /healthz} and {@code /readyz}, on the server's own event loops. */
package io.echoack.server.admin;

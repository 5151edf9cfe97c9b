/** The admin HTTP endpoint ({@code /metrics}, {@code /healthz}, {@code /readyz}, and with control {@code /ready}, {@code /unready}, {@code /faults}): its listener, pipeline and access rules, on the server's own event loops. */
package io.echoack.server.admin;

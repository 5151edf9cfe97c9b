/** Prometheus metrics of the server: connections, messages, bytes, errors, drops and reply latency. */
package io.echoack.server.metrics;

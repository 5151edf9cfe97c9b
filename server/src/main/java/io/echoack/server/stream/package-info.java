/** Pipelines for stream listeners (TCP, Unix stream): framing, replies, half-close, backpressure, errors. */
package io.echoack.server.stream;

/** {@code echoack bench}: an event-loop load generator, its HdrHistogram latency recorder and its reports. */
package io.echoack.client.bench;

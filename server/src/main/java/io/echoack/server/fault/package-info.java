/** Faults injected on purpose per listener: the swappable per-listener value, reproducible randomness, handlers. */
package io.echoack.server.fault;

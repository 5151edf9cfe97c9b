/** JMH microbenchmarks of the per-message hot paths: framing decode/encode and the responders. */
package io.echoack.benchmarks;

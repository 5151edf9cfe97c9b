/** Faults a listener injects on purpose (delays, resets, drops ...): their keys, values and one immutable model. */
package io.echoack.common.fault;

/** The one endpoint URI grammar: {@code tcp://}, {@code udp://}, {@code tls://}, {@code unix://}, {@code unixgram://}. */
package io.echoack.common.endpoint;

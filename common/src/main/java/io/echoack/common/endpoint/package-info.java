/** The one endpoint URI grammar ({@code tcp://}, {@code udp://}, {@code unix://}, {@code unixgram://}). */
package io.echoack.common.endpoint;

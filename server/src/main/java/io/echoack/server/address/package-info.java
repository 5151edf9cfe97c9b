/** Facts about peer addresses (IPv4-mapped IPv6 seen as IPv4) shared by the filters, limits and datagram guard. */
package io.echoack.server.address;

/** Protection of datagram (UDP) listeners against being used as a DDoS reflector or amplifier. */
package io.echoack.server.udp;

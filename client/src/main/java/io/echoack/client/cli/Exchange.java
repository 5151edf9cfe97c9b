package io.echoack.client.cli;

import io.echoack.client.net.Connection;
import io.echoack.client.net.EchoAckClient;
import io.echoack.common.endpoint.Endpoint;

/**
 * One message sent on a connection of its own and the reply it got: what {@code check} and {@code info} do.
 * The client and the connection are closed before this returns; what went wrong is thrown as the client
 * threw it, for the command to report in its own way.
 *
 * @param reply the reply, as it came
 * @param nanos how long the reply took, from sending to its arrival (the connect not included)
 */
record Exchange(byte[] reply, long nanos) {

    /** Connects to {@code endpoint} with a client from {@code builder}, sends {@code message}, and closes. */
    static Exchange once(EchoAckClient.Builder builder, Endpoint endpoint, byte[] message) {
        try (EchoAckClient client = builder.build();
             Connection connection = client.connect(endpoint)) {
            long started = System.nanoTime();
            byte[] reply = connection.send(message);
            return new Exchange(reply, System.nanoTime() - started);
        }
    }
}

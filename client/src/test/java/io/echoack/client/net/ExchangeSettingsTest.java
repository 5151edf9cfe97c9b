package io.echoack.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a failed send is told to the caller. */
class ExchangeSettingsTest {

    private static final Endpoint ENDPOINT = Endpoint.parse("tcp://127.0.0.1:7");
    private static final ExchangeSettings SETTINGS = new ExchangeSettings(ENDPOINT, ReplyMode.ACK,
            Optional.of(Framing.LINE), Duration.ofSeconds(2), 0, 64, -1);

    @Test
    void aSendCutByAClosedConnectionSaysSoInsteadOfNamingAnExceptionClass() {
        // Netty fails writes on a closed channel with a ClosedChannelException subclass that has no message.
        EchoAckClientException failure = SETTINGS.sendFailure(new ClosedChannelException() { });
        assertInstanceOf(ConnectionClosedException.class, failure);
        assertEquals("could not send to tcp://127.0.0.1:7: the connection was closed (by the server, or the path to "
                + "it) before the message was sent", failure.getMessage());
    }

    @Test
    void anyOtherFailureKeepsItsOwnMessage() {
        EchoAckClientException failure = SETTINGS.sendFailure(new java.io.IOException("Broken pipe"));
        assertEquals("could not send to tcp://127.0.0.1:7: Broken pipe", failure.getMessage());
    }
}

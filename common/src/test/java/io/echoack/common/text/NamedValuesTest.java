package io.echoack.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.InfoFormat;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.ProxyProtocol;
import org.junit.jupiter.api.Test;

class NamedValuesTest {

    private static final String[] COLOURS = {"red", "green", "blue"};

    @Test
    void readsAnIdInAnyCaseWithSpacesAround() {
        assertEquals("green", NamedValues.parse("colour", " GrEeN\t", COLOURS, c -> c));
        assertEquals(ReplyMode.INFO, ReplyMode.parse("Info "));
        assertEquals(ProxyProtocol.OPTIONAL, ProxyProtocol.parse("OPTIONAL"));
    }

    @Test
    void refusesAnythingElseNamingItAsTypedAndEveryIdInOrder() {
        assertEquals("unknown colour ' Pink ' (expected red, green or blue)", assertThrows(
                IllegalArgumentException.class, () -> NamedValues.parse("colour", " Pink ", COLOURS, c -> c))
                .getMessage());
        assertEquals("unknown colour 'red green' (expected red or green)", assertThrows(
                IllegalArgumentException.class, () -> NamedValues.parse("colour", "red green",
                        new String[] {"red", "green"}, c -> c)).getMessage());
        assertEquals("unknown colour '' (expected red)", assertThrows(IllegalArgumentException.class,
                () -> NamedValues.parse("colour", "", new String[] {"red"}, c -> c)).getMessage());
    }

    @Test
    void eachSettingSaysWhatItIsAndWhatWouldDo() {
        assertEquals("unknown mode 'shout' (expected ack, echo or info)", message(() -> ReplyMode.parse("shout")));
        assertEquals("unknown framing 'xml' (expected line, raw or length)", message(() -> Framing.parse("xml")));
        assertEquals("unknown format 'yaml' (expected text or json)", message(() -> InfoFormat.parse("yaml")));
        assertEquals("unknown proxy 'v3' (expected v1, v2, any or optional)", message(() -> ProxyProtocol.parse("v3")));
    }

    private static String message(Runnable parse) {
        return assertThrows(IllegalArgumentException.class, parse::run).getMessage();
    }
}

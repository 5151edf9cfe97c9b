package io.echoack.client.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.echoack.common.codec.InfoFormat;
import io.echoack.common.info.InfoLine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InfoReplyTest {

    @Test
    void bothFormatsReadTheSame() {
        for (InfoFormat format : InfoFormat.values()) {
            String reply = InfoLine.start(format).add("host", "web-1").add("zone", "eu \"west\"\n").add("seq", 3)
                    .finish();
            Map<String, String> fields = InfoReply.parse((reply + "\r\n").getBytes(UTF_8));
            assertEquals(List.of("host", "zone", "seq"), List.copyOf(fields.keySet()), format.id());
            assertEquals("eu \"west\"\n", fields.get("zone"), format.id());
            assertEquals("3", fields.get("seq"), format.id());
        }
    }

    @Test
    void jsonNumbersAndBooleansBecomeTextAndNullsAreAbsent() {
        Map<String, String> fields = InfoReply.parse("{\"proxy\":2,\"ok\":true,\"gone\":null,\"é\":\"ü\"}"
                .getBytes(UTF_8));
        assertEquals(Map.of("proxy", "2", "ok", "true", "é", "ü"), fields);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "I got your message|'I' at column 1 is not key=value",
            "{\"a\":{\"b\":1}}|the value of 'a' is not a string or number",
            "{\"a\":[1]}|the value of 'a' is not a string or number",
            "{\"a\":1,\"a\":2}|key 'a' appears twice",
            "{\"a\":1} {}|not one JSON object",
            "{\"a\":|malformed JSON",
    })
    void anythingElseIsNamed(String reply, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InfoReply.parse(reply.getBytes(UTF_8)));
        assertEquals(true, e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void bytesThatAreNoTextAreNamed() {
        assertEquals("not UTF-8 text", assertThrows(IllegalArgumentException.class,
                () -> InfoReply.parse(new byte[] {'a', '=', (byte) 0xff})).getMessage());
    }
}

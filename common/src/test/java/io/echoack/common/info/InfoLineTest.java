package io.echoack.common.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import io.echoack.common.codec.InfoFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InfoLineTest {

    @Test
    void textIsKeyValuePairsWithValuesQuotedWhereNeeded() {
        String line = InfoLine.start(InfoFormat.TEXT).add("host", "web-1").add("peer", "[::1]:5000")
                .add("subject", "CN=client,O=Example").add("zone", "eu west").add("empty", "")
                .add("odd", "a\"b\\c\nd\u0001é").add("seq", 42).finish();
        assertEquals("host=web-1 peer=[::1]:5000 subject=\"CN=client,O=Example\" zone=\"eu west\" empty=\"\" "
                + "odd=\"a\\\"b\\\\c\\nd\\u0001é\" seq=42", line);
    }

    @Test
    void jsonIsOneFlatObjectWithStringsAndNumbers() {
        String json = InfoLine.start(InfoFormat.JSON).add("host", "web-1").add("odd", "a\"b\\c\nd\u0001é\u007f")
                .add("seq", 7).finish();
        assertEquals("{\"host\":\"web-1\",\"odd\":\"a\\\"b\\\\c\\nd\\u0001é\u007f\",\"seq\":7}", json);
        assertEquals("{}", InfoLine.start(InfoFormat.JSON).finish());
    }

    @Test
    void aCopyGoesOnFromTheFieldsWrittenSoFarAndLeavesTheOriginalAlone() {
        for (InfoFormat format : InfoFormat.values()) {
            InfoLine common = InfoLine.start(format).add("host", "a");
            String first = common.copy().add("seq", 1).finish();
            String second = common.copy().add("seq", 2).finish();
            assertEquals(InfoLine.start(format).add("host", "a").add("seq", 1).finish(), first);
            assertEquals(InfoLine.start(format).add("host", "a").add("seq", 2).finish(), second);
            assertEquals(InfoLine.start(format).add("host", "a").finish(), common.finish());
        }
    }

    @Test
    void parseTextReadsWhatTheWriterWrote() {
        Map<String, String> fields = InfoLine.parseText("host=web-1 subject=\"CN=a,O=b\"  zone=\"eu west\" "
                + "odd=\"q\\\"\\\\\\n\\t\\r\\u0001\" seq=3 empty=\"\" bare=");
        assertEquals(List.of("host", "subject", "zone", "odd", "seq", "empty", "bare"), List.copyOf(fields.keySet()));
        assertEquals("CN=a,O=b", fields.get("subject"));
        assertEquals("eu west", fields.get("zone"));
        assertEquals("q\"\\\n\t\r\u0001", fields.get("odd"));
        assertEquals("3", fields.get("seq"));
        assertEquals("", fields.get("empty"));
        assertEquals("", fields.get("bare"));
        assertEquals(Map.of(), InfoLine.parseText(""));
    }

    @Test
    void anyValueRoundTripsThroughTheTextFormat() {
        qt().withExamples(2000).forAll(strings().allPossible().ofLengthBetween(0, 40)).checkAssert(value -> {
            String line = InfoLine.start(InfoFormat.TEXT).add("a", value).add("b", "x").finish();
            assertFalse(line.contains("\n"), line);
            assertEquals(Map.of("a", value, "b", "x"), InfoLine.parseText(line));
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "I got your message|'I' at column 1 is not key=value",
            "a=1 b|'b' at column 5 is not key=value",
            "a=\"open|quoted value from column 3 is not closed",
            "a=\"x\"y|a space must follow the quoted value ending at column 5",
            "a=\"\\q\"|unknown escape '\\q' at column 4",
            "a=\"\\u12\"|incomplete \\u escape at column 4",
            "a=1 a=2|key 'a' appears twice",
            "k?=1|'k?' at column 1 is not key=value",
    })
    void parseTextSaysWhatIsWrongAndWhere(String line, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InfoLine.parseText(line));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void keysAreLettersDigitsAndAFewMarks() {
        assertTrue(InfoLine.isKey("proxy_tlv.aws_vpce_id"));
        assertTrue(InfoLine.isKey("Zone-2"));
        assertFalse(InfoLine.isKey(""));
        assertFalse(InfoLine.isKey("a b"));
        assertFalse(InfoLine.isKey("a=b"));
        assertThrows(IllegalArgumentException.class, () -> InfoLine.start(InfoFormat.TEXT).add("a b", "x"));
    }
}

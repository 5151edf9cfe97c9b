package io.echoack.client.merge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON object read into plain values with jackson-core's streaming parser: objects as ordered maps, arrays as
 * lists, numbers as {@link java.math.BigDecimal}, strings, booleans and null. It keeps the line of each top-level
 * key, so that an error about a value can name its line.
 *
 * @param values the object's keys and values, in order
 * @param lines  the line (1-based, within the object's text) of each top-level key
 */
record JsonTree(Map<String, Object> values, Map<String, Integer> lines) {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** A JSON syntax error and the line of the object's text it is on (1-based). */
    static final class SyntaxException extends Exception {

        private static final long serialVersionUID = 1L;
        final int line;

        SyntaxException(String message, int line) {
            super(message);
            this.line = line;
        }
    }

    /**
     * Reads {@code text}, one JSON object.
     *
     * @throws SyntaxException when it is not one, with the line it goes wrong on
     */
    static JsonTree parse(String text) throws SyntaxException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new SyntaxException("not a JSON object", 1);
            }
            Map<String, Integer> lines = new LinkedHashMap<>();
            Map<String, Object> values = object(parser, lines);
            if (parser.nextToken() != null) {
                throw new SyntaxException("more after the object's end", parser.currentLocation().getLineNr());
            }
            return new JsonTree(values, Collections.unmodifiableMap(lines));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
            throw new SyntaxException(e.getOriginalMessage(), line);
        } catch (IOException e) {
            throw new SyntaxException(e.getMessage(), 1); // a String cannot fail to be read: not expected
        }
    }

    /** The object whose START_OBJECT was just read; the lines of its keys go to {@code lines} when not null. */
    private static Map<String, Object> object(JsonParser parser, Map<String, Integer> lines) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String name = parser.currentName();
            if (lines != null) {
                lines.put(name, parser.currentLocation().getLineNr());
            }
            parser.nextToken();
            values.put(name, value(parser));
        }
        return Collections.unmodifiableMap(values);
    }

    private static Object value(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> object(parser, null);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser));
                }
                yield Collections.unmodifiableList(list);
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null; // VALUE_NULL
        };
    }
}

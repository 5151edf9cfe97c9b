package io.echoack.client.net;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.echoack.common.info.InfoLine;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an identity reply (reply mode {@code info}) into its fields, in order, whichever format the server wrote
 * it in: a JSON object (the reply starts with <code>{</code>) or {@code key=value} text. JSON numbers and booleans
 * become their text ({@code "seq" -> "3"}), so both formats read the same.
 */
public final class InfoReply {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private InfoReply() {
    }

    /**
     * The fields of {@code reply} (its framing removed; a line end at its end is ignored).
     *
     * @throws IllegalArgumentException saying why it is no identity reply (not UTF-8, not {@code key=value}, a
     *                                  JSON value that is an object or array, malformed JSON)
     */
    public static Map<String, String> parse(byte[] reply) {
        int end = reply.length;
        while (end > 0 && (reply[end - 1] == '\n' || reply[end - 1] == '\r')) {
            end--;
        }
        int start = 0;
        while (start < end && reply[start] == ' ') {
            start++;
        }
        if (start < end && reply[start] == '{') {
            return json(reply, start, end - start);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(reply, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8 text");
        }
        return InfoLine.parseText(text);
    }

    private static Map<String, String> json(byte[] reply, int offset, int length) {
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(reply, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    throw new IllegalArgumentException("the value of '" + key + "' is not a string or number");
                }
                if (value != JsonToken.VALUE_NULL && fields.put(key, parser.getText()) != null) {
                    throw new IllegalArgumentException("key '" + key + "' appears twice");
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IllegalArgumentException("not one JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable JSON: " + e.getMessage());
        }
        return Collections.unmodifiableMap(fields);
    }
}

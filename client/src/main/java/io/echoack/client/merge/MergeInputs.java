package io.echoack.client.merge;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads bench results out of a file or a stream: every JSON object in it that has a {@code schema} key is one
 * (see {@link JsonObjects} for what is skipped); other JSON objects, such as a JSON log line, are skipped too.
 */
public final class MergeInputs {

    private MergeInputs() {
    }

    /**
     * The bench results in {@code reader}, in order.
     *
     * @param source the name errors give it: the file's, or {@code -} for standard input
     * @throws MergeException when an object is not JSON, or is a bench result merge cannot read, naming
     *                        {@code source} and the line
     * @throws IOException    when reading fails
     */
    public static List<BenchInput> read(String source, BufferedReader reader) throws IOException {
        List<BenchInput> inputs = new ArrayList<>();
        for (JsonObjects.Found found : JsonObjects.in(source, reader)) {
            JsonTree tree;
            try {
                tree = JsonTree.parse(found.text());
            } catch (JsonTree.SyntaxException e) {
                throw new MergeException(source + ":" + (found.line() + e.line - 1) + ": not valid JSON: "
                        + e.getMessage());
            }
            if (tree.values().containsKey("schema")) {
                inputs.add(BenchInput.of(source, found.line(), found.prefix(), tree));
            }
        }
        return inputs;
    }
}

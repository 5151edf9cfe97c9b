package io.echoack.server.cli;

import io.echoack.common.endpoint.Endpoint;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The server's configuration file ({@code --config}, YAML): one key per setting, spelt as its flag without the
 * dashes ({@code max-frame: 65536}), and {@code listeners:}, a list of endpoints, each either a URI or a map of
 * {@code endpoint:} and that listener's own keys ({@code mode: echo}), which become the endpoint's query
 * ({@code ?mode=echo}): any key the endpoint query takes is a key here, with no code of its own.
 *
 * <p>Each value is turned into the text its flag would take, so that the command line checks it as it checks a
 * flag or a variable; every problem found here or later names the file, the line and the key
 * ({@code echoack.yaml:4: max-frame: ...}). YAML is read with SnakeYAML's node API, which keeps each node's line.
 */
final class ConfigFile {

    /**
     * How a key takes its value: one value, or a list the option splits with {@code split} (its picocli split
     * regex; empty or null for none).
     */
    record Key(String name, boolean list, String split) {
        Key {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * One key's value.
     *
     * @param key   the key, as written
     * @param value the value in its flag's spelling (a list joined as the option splits it)
     * @param line  the key's line, counted from 1
     */
    record Entry(String key, String value, int line) {
    }

    /** The key of the listeners list. */
    static final String LISTENERS = "listeners";
    /** In a listener written as a map: the key of its endpoint URI. */
    static final String ENDPOINT = "endpoint";

    /** Characters a listener key's value may not hold: they would end the value inside the endpoint's query. */
    private static final Pattern QUERY_BREAKERS = Pattern.compile("[&#,\\s]");

    private final Path path;
    private final Map<String, Entry> entries;

    private ConfigFile(Path path, Map<String, Entry> entries) {
        this.path = path;
        this.entries = entries;
    }

    /**
     * Reads {@code path}, which may hold only {@code keys}.
     *
     * @throws IllegalArgumentException naming the file, and where it can, the line and the key
     */
    static ConfigFile read(Path path, Map<String, Key> keys) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + path + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e);
        }
        Node root;
        try (Reader reader = new StringReader(text)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new IllegalArgumentException(path + ":" + line + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException | IOException e) {
            throw new IllegalArgumentException(path + ": not valid YAML: " + e.getMessage());
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (root == null) {
            return new ConfigFile(path, entries); // an empty file: nothing set
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new IllegalArgumentException(path + ":" + line(root) + ": expected keys (e.g. 'mode: echo'), "
                    + "not " + shape(root));
        }
        ConfigFile file = new ConfigFile(path, entries);
        for (NodeTuple tuple : mapping.getValue()) {
            String key = file.keyText(tuple.getKeyNode(), "");
            if (entries.containsKey(key)) {
                throw file.error(tuple.getKeyNode(), key, "given twice (first on line " + entries.get(key).line() + ")");
            }
            Key shape = keys.get(key);
            if (shape == null) {
                throw file.error(tuple.getKeyNode(), key, "unknown key" + hint(key));
            }
            Node value = tuple.getValueNode();
            String flagText = key.equals(LISTENERS) ? file.listeners(value, shape)
                    : shape.list() ? file.list(key, value, shape) : file.scalar(key, value);
            entries.put(key, new Entry(key, flagText, line(tuple.getKeyNode())));
        }
        return file;
    }

    /** The file as given. */
    Path path() {
        return path;
    }

    /** The value of {@code key}, if the file sets it. */
    Optional<Entry> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** What a message calls this entry: {@code echoack.yaml:4: max-frame}. */
    String name(Entry entry) {
        return path + ":" + entry.line() + ": " + entry.key();
    }

    private static String hint(String key) {
        if (key.equals("listen")) {
            return " (endpoints go in a list under 'listeners:')";
        }
        if (key.startsWith("-")) {
            return " (write the flag without its dashes)";
        }
        if (key.equals("verbose") || key.equals("config")) {
            return " (only on the command line)";
        }
        return " (the keys are echoack-server's flags without the dashes, and 'listeners'; see --help)";
    }

    private String keyText(Node key, String where) {
        if (!(key instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.NULL)) {
            throw new IllegalArgumentException(path + ":" + line(key) + ": " + where + "a key must be a word, not "
                    + shape(key));
        }
        return scalar.getValue();
    }

    /** One value: a scalar, as written. */
    private String scalar(String key, Node value) {
        if (!(value instanceof ScalarNode scalar)) {
            throw error(value, key, "expected one value, not " + shape(value));
        }
        if (scalar.getTag().equals(Tag.NULL)) {
            throw error(value, key, "no value (leave the key out for the default)");
        }
        return scalar.getValue();
    }

    /** A list of values (one value is a list of one), joined as the option splits it. */
    private String list(String key, Node value, Key shape) {
        List<String> items = new ArrayList<>();
        if (value instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                items.add(item(key, item, shape));
            }
        } else if (value instanceof MappingNode mapping && key.equals("identity")) {
            for (NodeTuple pair : mapping.getValue()) {
                String name = keyText(pair.getKeyNode(), key + ": ");
                items.add(item(key, pair.getKeyNode(), name + "=" + scalar(key + "." + name, pair.getValueNode()),
                        shape));
            }
        } else {
            items.add(item(key, value, shape));
        }
        return String.join(",", items);
    }

    private String item(String key, Node item, Key shape) {
        return item(key, item, scalar(key, item), shape);
    }

    /** An item that the option's split would cut in two is an error: it would become two values. */
    private String item(String key, Node where, String text, Key shape) {
        if (shape.split() != null && !shape.split().isEmpty() && text.split(shape.split(), -1).length > 1) {
            throw error(where, key, "'" + text + "' would be split in two where it has a comma; give each value "
                    + "as an item of its own");
        }
        return text;
    }

    /**
     * The listeners, each checked as an endpoint here so that an error names its line: a URI, or a map of
     * {@code endpoint:} and query keys.
     */
    private String listeners(Node value, Key shape) {
        if (!(value instanceof SequenceNode sequence)) {
            throw error(value, LISTENERS, "expected a list of endpoints (one '- tcp://...' per line), not "
                    + shape(value));
        }
        if (sequence.getValue().isEmpty()) {
            throw error(value, LISTENERS, "the list is empty (leave the key out for the default endpoints)");
        }
        List<String> uris = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            String uri = item instanceof MappingNode mapping ? listener(mapping) : endpoint(item, LISTENERS,
                    scalar(LISTENERS, item));
            uris.add(item(LISTENERS, item, uri, shape));
        }
        return String.join(",", uris);
    }

    /** A listener written as a map: its endpoint with each other key added to the query, checked key by key. */
    private String listener(MappingNode mapping) {
        Node endpointNode = null;
        Map<String, NodeTuple> keys = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = keyText(tuple.getKeyNode(), LISTENERS + ": ");
            if (key.equals(ENDPOINT)) {
                endpointNode = tuple.getValueNode();
            } else {
                keys.put(key, tuple);
            }
        }
        if (endpointNode == null) {
            throw error(mapping, LISTENERS, "a listener needs 'endpoint:' (e.g. endpoint: tcp://:7000)");
        }
        String uri = endpoint(endpointNode, ENDPOINT, scalar(ENDPOINT, endpointNode));
        for (Map.Entry<String, NodeTuple> e : keys.entrySet()) {
            String key = e.getKey();
            Node valueNode = e.getValue().getValueNode();
            String text = scalar(key, valueNode);
            if (QUERY_BREAKERS.matcher(text).find()) {
                throw error(valueNode, key, "'" + text + "' may not hold '&', '#', ',' or spaces");
            }
            if (Pattern.compile("[?&]" + Pattern.quote(key) + "=").matcher(uri).find()) {
                throw error(e.getValue().getKeyNode(), key, "given twice: in the endpoint's query and as a key");
            }
            uri = endpoint(e.getValue().getKeyNode(), key, uri + (uri.contains("?") ? "&" : "?") + key + "=" + text);
        }
        return uri;
    }

    /** {@code uri}, after the endpoint parser accepted it; its error names {@code key} on {@code where}'s line. */
    private String endpoint(Node where, String key, String uri) {
        try {
            Endpoint.parse(uri);
        } catch (IllegalArgumentException e) {
            throw error(where, key, e.getMessage());
        }
        return uri;
    }

    private IllegalArgumentException error(Node where, String key, String problem) {
        return new IllegalArgumentException(path + ":" + line(where) + ": " + key + ": " + problem);
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    private static String shape(Node node) {
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof MappingNode) {
            return "keys and values";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}

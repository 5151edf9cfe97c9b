package io.echoack.cli.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reading the repository's deployment files (docker/compose.yaml, docker/kubernetes/*.yaml) in tests of the server
 * and the client: the one document of a file as nested maps and lists, with errors that name what is not the
 * shape a test expects.
 */
public final class YamlFiles {

    private YamlFiles() {
    }

    /** The repository's {@code docker} directory, found from the working directory upwards. */
    public static Path dockerDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docker/kubernetes"))) {
                return dir.resolve("docker");
            }
        }
        throw new AssertionError("no docker/kubernetes above " + Path.of("").toAbsolutePath());
    }

    /** The one YAML document of {@code file}, which must be a mapping. */
    public static Map<String, Object> single(Path file) {
        return single(read(file), file.toString());
    }

    /** The one YAML document of {@code text} ({@code what} names it in errors), which must be a mapping. */
    public static Map<String, Object> single(String text, String what) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (document != null) {
                documents.add(asMap(document, what));
            }
        }
        assertEquals(1, documents.size(), what + ": one document");
        return documents.get(0);
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code value} as a mapping; fails naming {@code what} otherwise. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new AssertionError(what + " is not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }

    public static Map<String, Object> map(Map<String, Object> parent, String key) {
        return asMap(parent.get(key), key);
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> maps(Map<String, Object> parent, String key) {
        return (List<Map<String, Object>>) list(parent, key);
    }

    @SuppressWarnings("unchecked")
    public static List<String> strings(Map<String, Object> parent, String key) {
        return ((List<Object>) list(parent, key)).stream().map(String::valueOf).toList();
    }

    public static List<?> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof List<?> values)) {
            throw new AssertionError(key + " is not a list: " + value);
        }
        return values;
    }
}

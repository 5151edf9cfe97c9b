package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostNameTest {

    @TempDir
    Path dir;

    @Test
    void theVariableFirstThenTheKernelsNameThenUnknown() throws Exception {
        Path kernel = Files.writeString(dir.resolve("hostname"), "node-7\n");
        assertEquals("bench-0-x2k", HostName.of(Map.of("HOSTNAME", "bench-0-x2k"), kernel));
        assertEquals("node-7", HostName.of(Map.of(), kernel));
        assertEquals("node-7", HostName.of(Map.of("HOSTNAME", " "), kernel), "a blank variable is unset");
        assertEquals("unknown", HostName.of(Map.of(), dir.resolve("missing")));
        assertEquals("unknown", HostName.of(Map.of(), Files.writeString(dir.resolve("empty"), "\n")));
    }
}

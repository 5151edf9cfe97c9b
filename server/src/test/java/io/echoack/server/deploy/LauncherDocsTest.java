package io.echoack.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker/README.md lists the JVM flags the launchers set, for operators who size containers by them: the
 * list must be the flags bin/echoack-server and bin/echoack really pass, no more and no fewer.
 */
class LauncherDocsTest {

    /** A JVM flag as the launchers write it and the README quotes it. */
    private static final Pattern FLAG = Pattern.compile("(-XX:[+-]?\\w+(?:=\\w+)?|-Xmn\\w+|--enable-native-access=[\\w-]+)");

    @Test
    void dockerReadmeListsTheServerLaunchersFlags() throws IOException {
        String[] columns = jvmOptionsRow().split("\\|");
        assertEquals(flags(launcher("echoack-server")), flags(columns[1]), "server column of docker/README.md");
        assertTrue(columns[1].contains("MALLOC_ARENA_MAX=2"), "the server launcher sets MALLOC_ARENA_MAX=2");
    }

    @Test
    void dockerReadmeListsTheClientLaunchersFlags() throws IOException {
        assertEquals(flags(launcher("echoack")), flags(jvmOptionsRow().split("\\|")[2]),
                "client column of docker/README.md");
    }

    /** The flags of the launcher's exec line and of the options it adds (such as the trim interval). */
    private static String launcher(String name) throws IOException {
        StringBuilder code = new StringBuilder();
        for (String line : Files.readAllLines(repository().resolve("bin").resolve(name))) {
            if (!line.stripLeading().startsWith("#")) {
                code.append(line).append('\n');
            }
        }
        return code.toString();
    }

    private static String jvmOptionsRow() throws IOException {
        String readme = Files.readString(repository().resolve("docker/README.md"));
        int section = readme.indexOf("### JVM options");
        assertTrue(section >= 0, "docker/README.md has no 'JVM options' section");
        int row = readme.indexOf("\n| `", section);
        return readme.substring(row + 1, readme.indexOf('\n', row + 1));
    }

    private static Set<String> flags(String text) {
        Set<String> flags = new LinkedHashSet<>();
        Matcher m = FLAG.matcher(text);
        while (m.find()) {
            flags.add(m.group(1));
        }
        return flags;
    }

    private static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bin/echoack-server"))) {
                return dir;
            }
        }
        throw new AssertionError("no bin/echoack-server above " + Path.of("").toAbsolutePath());
    }
}

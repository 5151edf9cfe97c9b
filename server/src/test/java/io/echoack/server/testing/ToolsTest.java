package io.echoack.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The netcat tests run only with OpenBSD netcat: where {@code nc} is nmap's ncat (Debian's ncat package takes
 * the {@code nc} alternative), they must be skipped with a reason, not fail on {@code invalid option -- 'N'}.
 * Fake programs stand in for the real ones, so this runs the same on every machine.
 */
class ToolsTest {

    @TempDir
    Path dir;

    @Test
    void ncatAsNcIsNotTakenForOpenBsdNetcat() throws IOException {
        fakeProgram(dir, "nc", "Ncat 7.93 ( https://nmap.org/ncat )");

        Tools.NetcatSearch search = Tools.findOpenBsdNetcat(dir.toString());

        assertEquals(Optional.empty(), search.found());
        assertTrue(search.reason().contains("nc.openbsd") && search.reason().contains("Ncat 7.93"), search.reason());
    }

    @Test
    void ncOpenbsdIsFoundBesideNcat() throws IOException {
        Path other = Files.createDirectory(dir.resolve("other"));
        fakeProgram(dir, "nc", "Ncat 7.93 ( https://nmap.org/ncat )");
        Path openbsd = fakeProgram(other, "nc.openbsd", "OpenBSD netcat (Debian patchlevel 1.219-1)");

        Tools.NetcatSearch search = Tools.findOpenBsdNetcat(dir + ":" + other);

        assertEquals(Optional.of(openbsd), search.found());
    }

    @Test
    void ncThatIsOpenBsdNetcatIsTaken() throws IOException {
        Path nc = fakeProgram(dir, "nc", "OpenBSD netcat (Debian patchlevel 1.219-1)");

        assertEquals(Optional.of(nc), Tools.findOpenBsdNetcat(dir.toString()).found());
    }

    @Test
    void noNetcatAtAllSaysSo() {
        Tools.NetcatSearch search = Tools.findOpenBsdNetcat(dir.toString());

        assertEquals(Optional.empty(), search.found());
        assertTrue(search.reason().contains("no nc on the PATH"), search.reason());
    }

    /** A program that prints {@code banner} on stderr and exits 1, as netcats do for {@code -h}. */
    private static Path fakeProgram(Path where, String name, String banner) throws IOException {
        Path program = where.resolve(name);
        Files.writeString(program, "#!/bin/sh\necho '" + banner + "' >&2\nexit 1\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        return program;
    }
}

package io.echoack.client.net;

import io.echoack.common.endpoint.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The socket path a Unix datagram client binds so that the server has an address to reply to: a file in a
 * fresh private temporary directory, both removed when the connection closes. The directory is
 * traversable by others (mode 711) so that a server running as another user can still reply.
 */
final class UnixgramLocalPath {

    private static final String FILE_NAME = "client.sock";

    private final Path directory;

    private UnixgramLocalPath(Path directory) {
        this.directory = directory;
    }

    static UnixgramLocalPath create() {
        try {
            Path dir = Files.createTempDirectory("echoack-");
            if (tooLong(dir)) {
                Files.delete(dir);
                dir = Files.createTempDirectory(Path.of("/tmp"), "echoack-");
            }
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            } catch (UnsupportedOperationException | IOException e) {
                // not POSIX, or not allowed: the default (owner only) still works for a server run as us
            }
            return new UnixgramLocalPath(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for the local Unix datagram socket", e);
        }
    }

    private static boolean tooLong(Path dir) {
        return dir.resolve(FILE_NAME).toString().getBytes(StandardCharsets.UTF_8).length
                > Endpoint.MAX_UNIX_PATH_BYTES;
    }

    Path socketFile() {
        return directory.resolve(FILE_NAME);
    }

    /** Removes the socket file and its directory; quietly, since this runs on close. */
    void delete() {
        try {
            Files.deleteIfExists(socketFile());
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // a leftover in the temp directory is harmless; nothing to report on close
        }
    }
}

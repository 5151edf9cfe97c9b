package io.echoack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Copies the native transport libraries of Netty out of a jar into a directory, under the names they have in the
 * jar, once, when the launchers train their class data sharing archive ({@code bin/echoack-cds.sh}). The launchers
 * then put that directory on {@code java.library.path}, where Netty looks before it extracts its library to a
 * temporary file: without it, every run writes about 100 KB to {@code java.io.tmpdir}, names the file with
 * {@code SecureRandom} (which sets up the JDK's security providers) and deletes it after loading. Only the
 * transports' libraries are copied ({@code libnetty_transport_native_*}); tcnative, large and needed only for TLS
 * with OpenSSL, is still extracted when used.
 *
 * <p>A command of the launcher's script, not of users: {@code java -cp JAR io.echoack.cli.NativeLibraryExport JAR
 * DIR}; exit 0 when at least one library was copied, 1 when the jar has none, 2 on bad arguments or an I/O
 * error.
 */
public final class NativeLibraryExport {

    /** Where Netty keeps its native libraries in a jar. */
    static final String NATIVE_DIRECTORY = "META-INF/native/";
    static final String TRANSPORT_PREFIX = "libnetty_transport_native_";

    private NativeLibraryExport() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: NativeLibraryExport JAR DIR");
            System.exit(2);
        }
        try {
            System.exit(export(Path.of(args[0]), Path.of(args[1])).isEmpty() ? 1 : 0);
        } catch (IOException e) {
            System.err.println("NativeLibraryExport: " + e);
            System.exit(2);
        }
    }

    /**
     * Copies every transport library of {@code jar} for Linux ({@code .so}, every architecture: each has its own
     * name, and the JVM loads only the one it asks for) into {@code directory} (made if needed), each written to a
     * temporary name first and then moved, so that a reader never sees half a library.
     *
     * @return the files written, none when the jar has no such library
     */
    public static List<Path> export(Path jar, Path directory) throws IOException {
        List<Path> written = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.startsWith(NATIVE_DIRECTORY + TRANSPORT_PREFIX)
                        || !name.endsWith(".so") || name.indexOf('/', NATIVE_DIRECTORY.length()) >= 0) {
                    continue;
                }
                Files.createDirectories(directory);
                Path target = directory.resolve(name.substring(NATIVE_DIRECTORY.length()));
                Path partial = directory.resolve(target.getFileName() + ".partial");
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                written.add(target);
            }
        }
        return written;
    }
}

package io.echoack.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the launchers' training copies out of a jar for {@code java.library.path}: Netty's transports, nothing else. */
class NativeLibraryExportTest {

    @TempDir
    Path dir;

    @Test
    void copiesTheTransportLibrariesUnderTheirOwnNamesAndNothingElse() throws IOException {
        Path jar = jar("META-INF/native/libnetty_transport_native_epoll_x86_64.so", "epoll x86",
                "META-INF/native/libnetty_transport_native_io_uring42_aarch_64.so", "io_uring arm",
                "META-INF/native/libnetty_tcnative_linux_x86_64.so", "tcnative: only for TLS with OpenSSL",
                "META-INF/native/libnetty_transport_native_kqueue_x86_64.jnilib", "macOS",
                "META-INF/native/nested/libnetty_transport_native_epoll_x86_64.so", "not Netty's place",
                "io/echoack/Some.class", "a class");
        Path out = dir.resolve("cache/archive.native");

        List<Path> written = NativeLibraryExport.export(jar, out);

        assertEquals(List.of(out.resolve("libnetty_transport_native_epoll_x86_64.so"),
                out.resolve("libnetty_transport_native_io_uring42_aarch_64.so")), written);
        assertArrayEquals("epoll x86".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(out.resolve("libnetty_transport_native_epoll_x86_64.so")));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(2, files.count(), "no partial file left, nothing else copied");
        }
    }

    @Test
    void aJarWithoutTransportLibrariesWritesNothing() throws IOException {
        Path jar = jar("io/echoack/Some.class", "a class");
        Path out = dir.resolve("none");
        assertEquals(List.of(), NativeLibraryExport.export(jar, out));
        assertFalse(Files.exists(out), "no empty directory for the launcher to put on java.library.path");
    }

    /** A jar of {@code nameAndContent} pairs. */
    private Path jar(String... nameAndContent) throws IOException {
        Path jar = dir.resolve("test.jar");
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            for (int i = 0; i < nameAndContent.length; i += 2) {
                zip.putNextEntry(new ZipEntry(nameAndContent[i]));
                zip.write(nameAndContent[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }
}

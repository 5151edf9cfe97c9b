package io.echoack.server.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.admin.AdminAccess;
import io.echoack.server.admin.AdminToken;
import io.echoack.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenReloadTest {

    private static final String OLD = "0123456789abcdef0123456789abcdef";
    private static final String NEW = "fedcba9876543210fedcba9876543210";

    @TempDir
    Path dir;

    @Test
    void aRotatedTokenFileIsReadAgainAndABadOneKeepsTheTokenInForce() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), OLD + "\n");
        ServerConfig config = ServerConfig.defaults().withListen("tcp://127.0.0.1:0").withAdmin("http://127.0.0.1:0")
                .withAdminControl(file);
        AdminAccess access = AdminAccess.withToken(AdminToken.read(file));
        AdminTokenReload reload = new AdminTokenReload(access);
        assertEquals(List.of(), reload.apply(config, config), "the same token: nothing to say");

        Files.writeString(file, NEW + "\n");
        assertEquals(List.of("adminControl: a new bearer token from " + file), reload.apply(config, config));
        assertEquals(AdminAccess.Verdict.ALLOWED, access.check("Bearer " + NEW));
        assertEquals(AdminAccess.Verdict.WRONG_TOKEN, access.check("Bearer " + OLD));

        Files.writeString(file, "short\n");
        ReloadException weak = assertThrows(ReloadException.class, () -> reload.apply(config, config));
        assertEquals("tokenFile: the token in " + file + " is 5 characters long; use at least 16, e.g. from: openssl "
                + "rand -hex 32; the admin token in force is kept", weak.getMessage());
        assertFalse(weak.getMessage().contains("short\n"));
        assertEquals(AdminAccess.Verdict.ALLOWED, access.check("Bearer " + NEW), "still the last good token");
    }

    @Test
    void turningControlOnOrOffNeedsARestart() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), OLD);
        ServerConfig on = ServerConfig.defaults().withListen("tcp://127.0.0.1:0").withAdmin("http://127.0.0.1:0")
                .withAdminControl(file);
        ServerConfig off = ServerConfig.defaults().withListen("tcp://127.0.0.1:0").withAdmin("http://127.0.0.1:0");
        AdminAccess access = AdminAccess.withToken(AdminToken.read(file));
        ReloadException e = assertThrows(ReloadException.class, () -> new AdminTokenReload(access).apply(on, off));
        assertEquals("adminControl: turning control off needs a restart", e.getMessage());
        assertTrue(access.controlEnabled());
        assertEquals(List.of(), new AdminTokenReload(AdminAccess.off()).apply(off, off));
    }
}

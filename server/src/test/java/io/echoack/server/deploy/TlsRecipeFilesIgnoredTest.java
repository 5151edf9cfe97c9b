package io.echoack.server.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The key and certificate that the READMEs' TLS recipes make in the checkout are ignored by git, so that a
 * private key cannot be committed by a {@code git add .}. The file names are read from the recipes
 * themselves: the main README's {@code openssl req -keyout ... -out ...} (run from the repository root)
 * and the directory the docker README mounts. Skipped outside a git checkout or without git.
 */
@Timeout(60)
class TlsRecipeFilesIgnoredTest {

    private static final Pattern OPENSSL_REQ = Pattern.compile("openssl req [^\\n]*-keyout (\\S+) -out (\\S+)");
    private static final Pattern DOCKER_MOUNT = Pattern.compile("-v \"\\$PWD/([^:]+):(/[^:]+):ro\"");
    private static final Pattern DOCKER_TLS_FILE = Pattern.compile("ECHOACK_TLS_(?:CERT|KEY)=(/\\S+)");

    @Test
    void theFilesTheTlsRecipesWriteAreIgnoredByGit() throws Exception {
        Path root = repositoryRoot();
        List<String> files = new ArrayList<>();
        Matcher req = OPENSSL_REQ.matcher(Files.readString(root.resolve("README.md")));
        while (req.find()) {
            files.add(req.group(1));
            files.add(req.group(2));
        }
        assertFalse(files.isEmpty(), "README.md has no 'openssl req -keyout KEY -out CERT' recipe any more");
        String docker = Files.readString(root.resolve("docker/README.md"));
        Matcher mount = DOCKER_MOUNT.matcher(docker);
        assertTrue(mount.find(), "docker/README.md mounts no certificate directory any more");
        Matcher tlsFile = DOCKER_TLS_FILE.matcher(docker);
        while (tlsFile.find()) {
            String inContainer = tlsFile.group(1);
            if (inContainer.startsWith(mount.group(2) + "/")) {
                files.add(mount.group(1) + inContainer.substring(mount.group(2).length()));
            }
        }
        assertTrue(files.size() >= 4, () -> "expected a key and a certificate from each README: " + files);

        for (String file : files) {
            int ignored = git(root, "check-ignore", "--quiet", file);
            assumeTrue(ignored == 0 || ignored == 1, "git check-ignore failed (not a git checkout?)");
            assertEquals(0, ignored, () -> file + " (made by a README TLS recipe) is not in .gitignore");
        }
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docker"))) {
                return dir;
            }
        }
        throw new AssertionError("no repository root (README.md and docker/) above " + Path.of("").toAbsolutePath());
    }

    /** Runs git in {@code dir}; its exit code, or -1 when git cannot be run. */
    private static int git(Path dir, String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            if (p.exitValue() > 1) {
                System.err.println(String.join(" ", command) + ": " + new String(output, StandardCharsets.UTF_8));
            }
            return p.exitValue();
        } catch (IOException noGit) {
            return -1;
        }
    }
}

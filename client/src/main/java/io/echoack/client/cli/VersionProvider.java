package io.echoack.client.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: echoack's version (from the build), and the Netty and Java versions it runs on. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        Properties build = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        String netty = io.netty.util.Version.identify().values().stream()
                .filter(v -> v.artifactId().equals("netty-transport"))
                .map(v -> v.artifactVersion())
                .findFirst().orElse("unknown");
        return new String[] {
                "echoack " + build.getProperty("version", "unknown"),
                "Netty " + netty + ", Java " + System.getProperty("java.version")
                        + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}

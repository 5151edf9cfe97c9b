package io.echoack.client.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * This client's host name, for the bench JSON's {@code host}: which machine (or pod) a result came from when many
 * are merged. Read without the network: {@code InetAddress.getLocalHost()} may ask DNS and take seconds on a host
 * with no name server; the {@code HOSTNAME} variable (a pod's name in Kubernetes, a container's id in Docker) or
 * the kernel's name is what a user sees in their shell prompt anyway.
 */
public final class HostName {

    /** Where Linux keeps the host name. */
    static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private HostName() {
    }

    /** This process's host name: {@code HOSTNAME}, else the kernel's, else {@code unknown}. */
    public static String local() {
        return of(System.getenv(), KERNEL_HOSTNAME);
    }

    /** The host name from {@code environment}'s {@code HOSTNAME}, else from {@code kernelFile}, else {@code unknown}. */
    static String of(Map<String, String> environment, Path kernelFile) {
        String variable = environment.get("HOSTNAME");
        if (variable != null && !variable.isBlank()) {
            return variable.strip();
        }
        try {
            if (Files.isReadable(kernelFile)) {
                String name = Files.readString(kernelFile, StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: no name is not worth failing a run over
        }
        return "unknown";
    }
}

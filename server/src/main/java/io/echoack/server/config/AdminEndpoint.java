package io.echoack.server.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where the admin HTTP endpoint (metrics, health, readiness) listens: {@code http://HOST:PORT}. Plain HTTP
 * only; an empty host or {@code 0.0.0.0} means every address.
 *
 * @param host host or address literal without brackets; empty for every address
 * @param port 0..65535 (0 = any free port)
 */
public record AdminEndpoint(String host, int port) {

    public AdminEndpoint {
        if (host == null) {
            throw new IllegalArgumentException("admin host must not be null");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("admin port must be 0..65535, was " + port);
        }
    }

    /**
     * Parses {@code http://HOST:PORT}.
     *
     * @throws IllegalArgumentException quoting the input and saying what is wrong
     */
    public static AdminEndpoint parse(String text) {
        String problem;
        try {
            URI uri = new URI(text.trim());
            if (!"http".equalsIgnoreCase(uri.getScheme())) {
                problem = "the admin endpoint must be http://HOST:PORT";
            } else if (uri.getPort() < 0) {
                problem = "missing port (expected http://HOST:PORT)";
            } else if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
                problem = "the admin endpoint takes no path (it serves /metrics, /healthz and /readyz)";
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                problem = "the admin endpoint takes no query, fragment or user info";
            } else {
                String host = uri.getHost() == null ? "" : uri.getHost();
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                return new AdminEndpoint(host, uri.getPort());
            }
        } catch (URISyntaxException e) {
            problem = e.getReason();
        }
        throw new IllegalArgumentException("invalid admin endpoint '" + text + "': " + problem);
    }

    /** The same endpoint with its port replaced (e.g. by the port the OS picked for port 0). */
    public AdminEndpoint withPort(int newPort) {
        return new AdminEndpoint(host, newPort);
    }

    @Override
    public String toString() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

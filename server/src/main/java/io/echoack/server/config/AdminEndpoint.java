package io.echoack.server.config;

import io.echoack.common.endpoint.Endpoint;

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
        String t = text.trim();
        String problem;
        if (!t.regionMatches(true, 0, "http://", 0, 7)) {
            problem = "the admin endpoint must be http://HOST:PORT";
        } else {
            String rest = t.substring(7);
            if (rest.endsWith("/")) {
                rest = rest.substring(0, rest.length() - 1);
            }
            if (rest.contains("/") || rest.contains("?") || rest.contains("#")) {
                problem = "the admin endpoint takes no path or query (it serves /metrics, /healthz and /readyz)";
            } else {
                try {
                    // Host and port follow the endpoint grammar (brackets for IPv6, empty host = all addresses).
                    Endpoint e = Endpoint.parse("tcp://" + rest);
                    return new AdminEndpoint(e.host(), e.port());
                } catch (IllegalArgumentException e) {
                    String m = e.getMessage();
                    problem = m.substring(m.indexOf("': ") + 3).replace("tcp://", "http://");
                }
            }
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

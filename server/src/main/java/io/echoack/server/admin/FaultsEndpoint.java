package io.echoack.server.admin;

import static io.echoack.server.admin.AdminResponses.json;
import static io.echoack.server.admin.AdminResponses.jsonString;
import static io.echoack.server.admin.AdminResponses.text;

import io.echoack.server.admin.FaultControl.EndpointFaults;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /faults}: {@code GET} lists every listener's faults as JSON (or one listener's, with
 * {@code ?endpoint=}); {@code PUT ?endpoint=E} replaces E's faults with the other keys of the query and of a
 * form-encoded body ({@code delay=20ms&reset=1%}, as in an endpoint's query); {@code DELETE ?endpoint=E}
 * clears them. A missing or unknown endpoint, a repeated key or a bad fault is 400 naming the key. Who may
 * change faults is decided before this is reached ({@link AdminAccess}).
 */
final class FaultsEndpoint {

    private static final Logger log = LoggerFactory.getLogger(FaultsEndpoint.class);
    static final String ENDPOINT = "endpoint";

    private final FaultControl faults;

    FaultsEndpoint(FaultControl faults) {
        this.faults = faults;
    }

    /**
     * Answers {@code method} on {@code /faults} (GET, HEAD, PUT or DELETE) with this query and body text.
     *
     * @param from who asked, for the log line of a change
     */
    FullHttpResponse handle(HttpMethod method, String query, String body, String from) {
        Map<String, String> keys = new LinkedHashMap<>();
        Optional<FullHttpResponse> bad = collect(QueryPairs.parse(query), keys);
        if (bad.isEmpty() && method == HttpMethod.PUT) {
            bad = collect(QueryPairs.parse(body.strip()), keys);
        } else if (bad.isEmpty() && !body.isBlank()) {
            bad = Optional.of(badRequest(method + " /faults takes no body; the endpoint goes in the query: "
                    + method + " /faults?endpoint=ENDPOINT"));
        }
        if (bad.isPresent()) {
            return bad.get();
        }
        String endpoint = keys.remove(ENDPOINT);
        List<EndpointFaults> all = faults.list();
        if (endpoint != null && all.stream().noneMatch(l -> l.endpoint().equals(endpoint))) {
            return badRequest("endpoint: no listener '" + endpoint + "'; the listeners are " + names(all));
        }
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            if (!keys.isEmpty()) {
                return unknownKey(keys, "GET /faults takes only endpoint");
            }
            return endpoint == null ? json(HttpResponseStatus.OK, listJson(all) + "\n")
                    : json(HttpResponseStatus.OK, listenerJson(find(all, endpoint)) + "\n");
        }
        if (endpoint == null) {
            return badRequest("endpoint: missing; say which listener: " + method + " /faults?endpoint=ENDPOINT, "
                    + "one of " + names(all));
        }
        EndpointFaults now;
        if (method == HttpMethod.DELETE) {
            if (!keys.isEmpty()) {
                return unknownKey(keys, "DELETE /faults takes only endpoint");
            }
            now = faults.clear(endpoint);
        } else {
            try {
                now = faults.replace(endpoint, keys);
            } catch (IllegalArgumentException e) {
                return badRequest(endpoint + ": " + e.getMessage());
            }
        }
        log.info("admin: faults of {} set to {} by {} /faults from {}", endpoint,
                now.faults().isEmpty() ? "none" : now.faults(), method, from);
        return json(HttpResponseStatus.OK, listenerJson(now) + "\n");
    }

    /** Adds {@code pairs} to {@code keys}; a key given twice is a 400 naming it. */
    private static Optional<FullHttpResponse> collect(List<Map.Entry<String, String>> pairs, Map<String, String> keys) {
        for (Map.Entry<String, String> pair : pairs) {
            if (keys.putIfAbsent(pair.getKey(), pair.getValue()) != null) {
                return Optional.of(badRequest(pair.getKey() + ": given twice"));
            }
        }
        return Optional.empty();
    }

    private static FullHttpResponse unknownKey(Map<String, String> keys, String rule) {
        return badRequest(keys.keySet().iterator().next() + ": unknown key; " + rule);
    }

    private static FullHttpResponse badRequest(String message) {
        return text(HttpResponseStatus.BAD_REQUEST, message + "\n");
    }

    private static EndpointFaults find(List<EndpointFaults> all, String endpoint) {
        return all.stream().filter(l -> l.endpoint().equals(endpoint)).findFirst().orElseThrow();
    }

    private static String names(List<EndpointFaults> all) {
        return all.stream().map(EndpointFaults::endpoint).collect(Collectors.joining(", "));
    }

    /** {@code {"listeners":[...]}}: every listener, in configuration order. */
    static String listJson(List<EndpointFaults> all) {
        return all.stream().map(FaultsEndpoint::listenerJson).collect(Collectors.joining(",", "{\"listeners\":[", "]}"));
    }

    /** {@code {"endpoint":"tcp://:7000","faults":{"delay":"20ms"}}}. */
    static String listenerJson(EndpointFaults listener) {
        String faultsJson = listener.faults().entrySet().stream()
                .map(e -> jsonString(e.getKey()) + ":" + jsonString(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
        return "{\"endpoint\":" + jsonString(listener.endpoint()) + ",\"faults\":" + faultsJson + "}";
    }
}

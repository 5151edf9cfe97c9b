package io.echoack.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.admin.FaultControl.EndpointFaults;
import io.echoack.server.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The admin endpoint's answers, status by status, on an EmbeddedChannel. */
class AdminHandlerTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    /** What an answer said: status, the headers that matter here, and the body. */
    record Answer(int status, String allow, String wwwAuthenticate, String contentType, String body) {
    }

    private final AtomicReference<String> lifecycle = new AtomicReference<>();
    private final Readiness readiness = new Readiness(lifecycle::get);
    private final FakeFaults faults = new FakeFaults();

    private EmbeddedChannel channel(AdminAccess access, FaultControl faultControl) {
        return new EmbeddedChannel(new AdminHandler(new ServerMetrics(), readiness, access, faultControl,
                field -> Map.of("adminControl", "--admin-control", "tokenFile", "--admin-token-file").get(field)));
    }

    private EmbeddedChannel controlled() {
        return channel(AdminAccess.withToken(AdminToken.of(TOKEN)), faults);
    }

    private static Answer ask(EmbeddedChannel ch, HttpMethod method, String uri, String authorization, String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        ch.writeInbound(request);
        FullHttpResponse r = ch.readOutbound();
        try {
            return new Answer(r.status().code(), r.headers().get(HttpHeaderNames.ALLOW),
                    r.headers().get(HttpHeaderNames.WWW_AUTHENTICATE), r.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    r.content().toString(StandardCharsets.UTF_8));
        } finally {
            r.release();
        }
    }

    private static Answer ask(EmbeddedChannel ch, HttpMethod method, String uri, String authorization) {
        return ask(ch, method, uri, authorization, "");
    }

    private static String bearer() {
        return "Bearer " + TOKEN;
    }

    @Test
    void unknownPathIs404NamingThePathsServed() {
        EmbeddedChannel ch = controlled();
        Answer a = ask(ch, HttpMethod.POST, "/unreadyz", bearer());
        assertEquals(404, a.status());
        assertEquals("not found: try /metrics, /healthz, /readyz, /ready, /unready, /faults\n", a.body());
        assertFalse(ch.finish());
    }

    @Test
    void withoutAFaultModelFaultsIs404() {
        EmbeddedChannel ch = channel(AdminAccess.withToken(AdminToken.of(TOKEN)), null);
        assertEquals(404, ask(ch, HttpMethod.GET, "/faults", null).status());
        assertFalse(ch.finish());
    }

    @Test
    void wrongMethodIs405WithAllowBeforeAnyAuthorisation() {
        EmbeddedChannel ch = channel(AdminAccess.off(), faults);
        Answer get = ask(ch, HttpMethod.GET, "/unready", null);
        assertEquals(405, get.status());
        assertEquals("POST", get.allow());
        Answer post = ask(ch, HttpMethod.POST, "/faults", null);
        assertEquals(405, post.status());
        assertEquals("GET, HEAD, PUT, DELETE", post.allow());
        Answer put = ask(ch, HttpMethod.PUT, "/readyz", null);
        assertEquals("GET, HEAD", put.allow());
        assertFalse(ch.finish());
    }

    @Test
    void controlOffIs403EvenWithTheTokenAndChangesNothing() {
        EmbeddedChannel ch = channel(AdminAccess.off(), faults);
        Answer a = ask(ch, HttpMethod.POST, "/unready", bearer());
        assertEquals(403, a.status());
        assertEquals("run-time control is off: start the server with --admin-control and --admin-token-file\n",
                a.body());
        assertTrue(readiness.isReady());
        assertEquals(403, ask(ch, HttpMethod.DELETE, "/faults?endpoint=tcp://:7000", bearer()).status());
        assertEquals(Map.of("delay", "20ms"), faults.faults.get("tcp://:7000"));
        assertEquals(200, ask(ch, HttpMethod.GET, "/faults", null).status(), "reading needs no control");
        assertFalse(ch.finish());
    }

    @Test
    void noTokenIs401WithABearerChallenge() {
        EmbeddedChannel ch = controlled();
        Answer a = ask(ch, HttpMethod.POST, "/unready", null);
        assertEquals(401, a.status());
        assertEquals("Bearer realm=\"echoack-admin\"", a.wwwAuthenticate());
        Answer basic = ask(ch, HttpMethod.POST, "/unready", "Basic dXNlcjpwYXNz");
        assertEquals(401, basic.status());
        assertTrue(readiness.isReady());
        assertFalse(ch.finish());
    }

    @Test
    void wrongTokenIs401InvalidTokenAndChangesNothing() {
        EmbeddedChannel ch = controlled();
        for (String wrong : List.of(TOKEN + "0", TOKEN.substring(1), "", TOKEN.toUpperCase())) {
            Answer a = ask(ch, HttpMethod.POST, "/unready", "Bearer " + wrong);
            assertEquals(401, a.status(), wrong);
            assertEquals("Bearer realm=\"echoack-admin\", error=\"invalid_token\"", a.wwwAuthenticate());
            assertFalse(a.body().contains(TOKEN), "never echoes a token");
        }
        Answer put = ask(ch, HttpMethod.PUT, "/faults?endpoint=tcp://:7000&delay=1s", "Bearer nope");
        assertEquals(401, put.status());
        assertEquals(Map.of("delay", "20ms"), faults.faults.get("tcp://:7000"));
        assertTrue(readiness.isReady());
        assertFalse(ch.finish());
    }

    @Test
    void unreadyAndReadyWithTheTokenSwitchReadyz() {
        EmbeddedChannel ch = controlled();
        Answer unready = ask(ch, HttpMethod.POST, "/unready", "bearer " + TOKEN); // the scheme is case-blind
        assertEquals(200, unready.status());
        assertEquals("not ready: set unready by POST /unready\n", unready.body());
        Answer readyz = ask(ch, HttpMethod.GET, "/readyz", null);
        assertEquals(503, readyz.status());
        assertEquals("not ready: set unready by POST /unready\n", readyz.body());
        assertEquals("ready\n", ask(ch, HttpMethod.POST, "/ready", bearer()).body());
        assertEquals(200, ask(ch, HttpMethod.GET, "/readyz", null).status());
        assertFalse(ch.finish());
    }

    @Test
    void readyDuringADrainStaysNotReady() {
        EmbeddedChannel ch = controlled();
        assertEquals(200, ask(ch, HttpMethod.POST, "/unready", bearer()).status());
        lifecycle.set("draining");
        assertEquals("not ready: draining, set unready by POST /unready\n",
                ask(ch, HttpMethod.GET, "/readyz", null).body());
        Answer ready = ask(ch, HttpMethod.POST, "/ready", bearer());
        assertEquals(200, ready.status());
        assertEquals("not ready: draining\n", ready.body());
        assertEquals(503, ask(ch, HttpMethod.GET, "/readyz", null).status());
        assertFalse(ch.finish());
    }

    @Test
    void badParametersAndBodiesAre400NamingTheKey() {
        EmbeddedChannel ch = controlled();
        assertEquals(new Answer(400, null, null, AdminResponses.TEXT,
                "force: unknown key; POST /unready takes no parameters\n"),
                ask(ch, HttpMethod.POST, "/unready?force=1", bearer()));
        assertEquals("POST /ready takes no body\n", ask(ch, HttpMethod.POST, "/ready", bearer(), "now=1").body());
        assertTrue(readiness.isReady());
        Answer badValue = ask(ch, HttpMethod.PUT, "/faults?endpoint=tcp://:7000", bearer(), "delay=fast");
        assertEquals(400, badValue.status());
        assertEquals("tcp://:7000: delay: 'fast' is not a duration\n", badValue.body());
        assertEquals("tcp://:7000: colour: unknown fault\n",
                ask(ch, HttpMethod.PUT, "/faults?endpoint=tcp://:7000&colour=red", bearer()).body());
        assertEquals("delay: given twice\n",
                ask(ch, HttpMethod.PUT, "/faults?endpoint=tcp://:7000&delay=1s", bearer(), "delay=2s").body());
        assertEquals("endpoint: no listener 'tcp://:7001'; the listeners are tcp://:7000, udp://:7000\n",
                ask(ch, HttpMethod.DELETE, "/faults?endpoint=tcp://:7001", bearer()).body());
        assertEquals("endpoint: missing; say which listener: DELETE /faults?endpoint=ENDPOINT, one of tcp://:7000, "
                + "udp://:7000\n", ask(ch, HttpMethod.DELETE, "/faults", bearer()).body());
        assertEquals("reset: unknown key; DELETE /faults takes only endpoint\n",
                ask(ch, HttpMethod.DELETE, "/faults?endpoint=tcp://:7000&reset=1%", bearer()).body());
        assertEquals("x: unknown key; GET /faults takes only endpoint\n", ask(ch, HttpMethod.GET, "/faults?x=1", null)
                .body());
        assertEquals(Map.of("delay", "20ms"), faults.faults.get("tcp://:7000"), "nothing changed");
        assertFalse(ch.finish());
    }

    @Test
    void faultsAreListedReplacedAndClearedAsJson() {
        EmbeddedChannel ch = controlled();
        Answer all = ask(ch, HttpMethod.GET, "/faults", null);
        assertEquals(AdminResponses.JSON, all.contentType());
        assertEquals("{\"listeners\":[{\"endpoint\":\"tcp://:7000\",\"faults\":{\"delay\":\"20ms\"}},"
                + "{\"endpoint\":\"udp://:7000\",\"faults\":{}}]}\n", all.body());
        Answer put = ask(ch, HttpMethod.PUT, "/faults?endpoint=tcp://:7000&reset=1%", bearer(), "delay=5ms\n");
        assertEquals(200, put.status(), put.body());
        assertEquals("{\"endpoint\":\"tcp://:7000\",\"faults\":{\"reset\":\"1%\",\"delay\":\"5ms\"}}\n", put.body());
        assertEquals(Map.of("reset", "1%", "delay", "5ms"), faults.faults.get("tcp://:7000"), "a % is itself");
        ask(ch, HttpMethod.PUT, "/faults?endpoint=udp%3A%2F%2F%3A7000", bearer(), "delay=1ms");
        assertEquals(Map.of("delay", "1ms"), faults.faults.get("udp://:7000"), "%XX is decoded");
        Answer one = ask(ch, HttpMethod.GET, "/faults?endpoint=udp://:7000", null);
        assertEquals("{\"endpoint\":\"udp://:7000\",\"faults\":{\"delay\":\"1ms\"}}\n", one.body());
        Answer cleared = ask(ch, HttpMethod.DELETE, "/faults?endpoint=tcp://:7000", bearer());
        assertEquals("{\"endpoint\":\"tcp://:7000\",\"faults\":{}}\n", cleared.body());
        assertEquals(Map.of(), faults.faults.get("tcp://:7000"));
        Answer head = ask(ch, HttpMethod.HEAD, "/faults", null);
        assertEquals(200, head.status());
        assertEquals("", head.body());
        assertFalse(ch.finish());
    }

    @Test
    void theTokenIsComparedWholeAndNeverShown() {
        AdminToken token = AdminToken.of(TOKEN);
        assertTrue(token.matches(TOKEN));
        assertFalse(token.matches(TOKEN + " "));
        assertFalse(token.matches(TOKEN.substring(0, 16)));
        assertFalse(token.toString().contains(TOKEN.substring(0, 4)));
        AdminAccess access = AdminAccess.withToken(token);
        assertEquals(AdminAccess.Verdict.ALLOWED, access.check("Bearer  " + TOKEN + " "));
        assertEquals(AdminAccess.Verdict.NO_TOKEN, access.check(null));
        assertEquals(AdminAccess.Verdict.NO_TOKEN, access.check("Token " + TOKEN));
        access.replaceToken(AdminToken.of("fedcba9876543210fedcba9876543210"));
        assertEquals(AdminAccess.Verdict.WRONG_TOKEN, access.check("Bearer " + TOKEN), "a reload replaces it");
        assertEquals(AdminAccess.Verdict.CONTROL_OFF, AdminAccess.off().check("Bearer " + TOKEN));
    }

    @Test
    void queryPairsKeepAPercentThatIsNotAnEscape() {
        assertEquals(List.of(Map.entry("reset", "1%"), Map.entry("a", "b c"), Map.entry("flag", ""),
                        Map.entry("p", "x+y"), Map.entry("e", "%zz%4")),
                QueryPairs.parse("reset=1%&a=b%20c&&flag&p=x+y&e=%zz%4"));
        assertEquals("a=1", QueryPairs.queryOf("/faults?a=1#top"));
        assertEquals("", QueryPairs.queryOf("/faults"));
    }

    /** A stand-in for the fault model: two listeners, the keys delay and reset, values checked loosely. */
    static final class FakeFaults implements FaultControl {
        final Map<String, Map<String, String>> faults = new LinkedHashMap<>();

        FakeFaults() {
            faults.put("tcp://:7000", Map.of("delay", "20ms"));
            faults.put("udp://:7000", Map.of());
        }

        @Override
        public List<EndpointFaults> list() {
            List<EndpointFaults> all = new ArrayList<>();
            faults.forEach((e, f) -> all.add(new EndpointFaults(e, f)));
            return all;
        }

        @Override
        public EndpointFaults replace(String endpoint, Map<String, String> given) {
            for (Map.Entry<String, String> e : given.entrySet()) {
                if (!Set.of("delay", "reset").contains(e.getKey())) {
                    throw new IllegalArgumentException(e.getKey() + ": unknown fault");
                }
                if (e.getKey().equals("delay") && !e.getValue().matches("[0-9]+m?s")) {
                    throw new IllegalArgumentException("delay: '" + e.getValue() + "' is not a duration");
                }
            }
            faults.put(endpoint, new LinkedHashMap<>(given));
            return new EndpointFaults(endpoint, given);
        }

        @Override
        public EndpointFaults clear(String endpoint) {
            faults.put(endpoint, Map.of());
            return new EndpointFaults(endpoint, Map.of());
        }
    }
}

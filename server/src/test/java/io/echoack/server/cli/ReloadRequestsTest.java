package io.echoack.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReloadRequestsTest {

    private final ReloadRequests requests = new ReloadRequests();
    private final AtomicInteger told = new AtomicInteger();

    @Test
    void aRequestMadeWhileTheServerStartsIsToldOnceItRuns() {
        requests.request(); // e.g. a SIGHUP sent as soon as the first listener answered
        requests.request();
        assertEquals(0, told.get());
        requests.onRequest(told::incrementAndGet);
        assertEquals(1, told.get(), "told once: one reload reads everything that changed");
        requests.request();
        assertEquals(2, told.get());
    }

    @Test
    void withoutAnEarlyRequestNothingIsToldAtStart() {
        requests.onRequest(told::incrementAndGet);
        assertEquals(0, told.get());
    }

    @Test
    void requestsAfterTheServerStoppedAreIgnored() {
        requests.onRequest(told::incrementAndGet);
        requests.onRequest(() -> { }); // the server stopped
        requests.request();
        requests.onRequest(told::incrementAndGet);
        assertEquals(0, told.get(), "nothing pending from after the stop");
    }
}

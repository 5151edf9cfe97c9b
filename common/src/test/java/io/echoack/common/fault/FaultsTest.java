package io.echoack.common.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FaultsTest {

    @Test
    void parsesEveryKindOfValue() {
        Faults f = Faults.parse("delay=20ms&jitter=5ms&bandwidth=64KiB/s&slice=1400&slice-delay=1ms&reset=1%"
                + "&close=0.5%&close-after=1MiB&reset-after=2kB&blackhole=100%&accept-delay=2s&slow-close=1.5s");
        assertEquals(Duration.ofMillis(20), f.duration(FaultKey.DELAY));
        assertEquals(Duration.ofMillis(5), f.duration(FaultKey.JITTER));
        assertEquals(64 * 1024, f.bytes(FaultKey.BANDWIDTH));
        assertEquals(1400, f.bytes(FaultKey.SLICE));
        assertEquals(10_000, f.ppm(FaultKey.RESET));
        assertEquals(5_000, f.ppm(FaultKey.CLOSE));
        assertEquals(1 << 20, f.bytes(FaultKey.CLOSE_AFTER));
        assertEquals(2000, f.bytes(FaultKey.RESET_AFTER));
        assertEquals(Faults.PPM_ONE, f.ppm(FaultKey.BLACKHOLE));
        assertEquals(Duration.ofMillis(1500), f.duration(FaultKey.SLOW_CLOSE));
    }

    @Test
    void writesBackWhatItReads() {
        String q = "delay=20ms&jitter=1.5ms&bandwidth=65536B/s&slice=1400&slice-delay=1ms&reset=0.0001%&drop=12.5%";
        Faults f = Faults.parse(q);
        assertEquals(q, f.toQuery());
        assertEquals(f, Faults.parse(f.toQuery()));
        assertEquals("20ms", f.asMap().get("delay"));
    }

    @Test
    void zeroIsExactlyOffForEveryKey() {
        Faults f = Faults.parse("delay=0&reset=0&reset=0%&slice=0&bandwidth=0B/s&drop=0.0%");
        assertSame(Faults.NONE, f);
        assertTrue(f.isNone());
        assertEquals("", f.toQuery());
        assertFalse(Faults.parse("delay=10ms&delay=0").has(FaultKey.DELAY));
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            assertFalse(f.roll(FaultKey.RESET, r));
        }
    }

    @Test
    void aHundredPercentAlwaysHitsAndDrawsNothing() {
        Faults f = Faults.parse("reset=100%");
        SplittableRandom r = new SplittableRandom(7);
        long next = new SplittableRandom(7).nextLong();
        assertTrue(f.roll(FaultKey.RESET, r));
        assertEquals(next, r.nextLong());
    }

    @Test
    void aSeededRandomGivesTheSameDrawsAndAboutTheRightShare() {
        Faults f = Faults.parse("drop=10%");
        int hitsA = 0;
        int hitsB = 0;
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            hitsA += f.roll(FaultKey.DROP, a) ? 1 : 0;
            hitsB += f.roll(FaultKey.DROP, b) ? 1 : 0;
        }
        assertEquals(hitsA, hitsB);
        // 10% of 100000, sd ~95: six sd either way
        assertTrue(hitsA > 10_000 - 570 && hitsA < 10_000 + 570, "hits " + hitsA);
    }

    @Test
    void jitterStaysWithinDelayPlusOrMinusJitterAndNeverBelowZero() {
        Faults f = Faults.parse("delay=10ms&jitter=4ms");
        Faults wide = Faults.parse("delay=1ms&jitter=5ms");
        SplittableRandom r = new SplittableRandom(3);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 10_000; i++) {
            long d = f.delayNanos(r);
            min = Math.min(min, d);
            max = Math.max(max, d);
            assertTrue(wide.delayNanos(r) >= 0);
        }
        assertTrue(min >= 6_000_000 && min < 6_100_000, "min " + min);
        assertTrue(max <= 14_000_000 && max > 13_900_000, "max " + max);
        assertEquals(10_000_000, Faults.parse("delay=10ms").delayNanos(r));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "delay=fast      | fault delay=fast: 'fast' is not a duration",
            "reset=120%      | fault reset=120%: '120%' is outside 0%..100%",
            "reset=1         | fault reset=1: '1' is not a percentage",
            "reset=-1%       | fault reset=-1%: '-1%' is outside 0%..100%",
            "drop=0.00001%   | fault drop=0.00001%: '0.00001%' is finer than 0.0001%",
            "slice=12parsecs | fault slice=12parsecs: '12parsecs' has an unknown unit",
            "slice=1.5       | fault slice=1.5: '1.5' is not a whole number of bytes",
            "bandwidth=1MiB  | fault bandwidth=1MiB: '1MiB' is not a rate",
            "jitter=-1ms     | fault jitter=-1ms: '-1ms' is a negative duration",
            "latency=5ms     | unknown fault 'latency' (expected one of delay, jitter,",
            "slice-delay=1ms | fault slice-delay needs slice",
    })
    void badValuesNameTheKeyAndQuoteTheValue(String pairs, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Faults.parse(pairs));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void faultsThatDoNotApplyToTheTransportAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Faults.parse("drop=1%").requireApplicable(true, "tcp"));
        assertEquals("fault drop applies to datagram endpoints only (udp, unixgram); tcp is a stream",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Faults.parse("reset=1%").requireApplicable(false, "udp"));
        assertEquals("fault reset applies to stream endpoints only (tcp, tls, unix); udp sends datagrams",
                e.getMessage());
        Faults both = Faults.parse("delay=1ms&jitter=1ms");
        assertSame(both, both.requireApplicable(false, "udp"));
        assertSame(both, both.requireApplicable(true, "tcp"));
        assertTrue(Faults.parse("drop=1%&delay=1ms").hasAnyFor(false));
        assertFalse(Faults.parse("drop=1%").hasAnyFor(true));
    }
}

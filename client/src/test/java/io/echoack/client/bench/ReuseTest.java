package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReuseTest {

    @Test
    void readsMinColonMaxOrOneNumber() {
        assertEquals(new Reuse(3, 5), Reuse.parse("3:5"));
        assertEquals(new Reuse(100, 100), Reuse.parse("100"));
        assertEquals(new Reuse(1, 1), Reuse.parse(" 1 : 1 "));
        assertEquals("3:5", new Reuse(3, 5).toString());
    }

    @Test
    void aBadValueIsQuotedWithWhatIsWrong() {
        assertMessage("'0:5': MIN must be >= 1, was 0", "0:5");
        assertMessage("'5:3': MIN must be <= MAX, was 5:3", "5:3");
        assertMessage("'a:b' is not MIN:MAX", "a:b");
        assertMessage("'3:' is not MIN:MAX", "3:");
        assertMessage("'-1:4': MIN must be >= 1", "-1:4");
    }

    private static void assertMessage(String expected, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reuse.parse(text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void drawsEveryCountInTheRangeAndNothingOutside() {
        Reuse reuse = new Reuse(3, 5);
        SplittableRandom random = new SplittableRandom(42);
        int[] seen = new int[7];
        for (int i = 0; i < 3_000; i++) {
            long n = reuse.draw(random);
            assertTrue(n >= 3 && n <= 5, "drew " + n);
            seen[(int) n]++;
        }
        for (int n = 3; n <= 5; n++) {
            assertTrue(seen[n] > 800, n + " drawn " + seen[n] + " times of 3000: not uniform");
        }
        assertEquals(7, new Reuse(7, 7).draw(random));
    }
}

package io.echoack.common.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.netty.util.internal.MacAddressUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MachineIdTest {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(MachineId.PROPERTY);
        System.clearProperty(MachineId.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(MachineId.PROPERTY);
        } else {
            System.setProperty(MachineId.PROPERTY, saved);
        }
    }

    @Test
    void setsEightRandomBytesThatNettyAccepts() {
        MachineId.setRandomUnlessSet();
        String first = System.getProperty(MachineId.PROPERTY);
        assertEquals(8, MacAddressUtil.parseMAC(first).length, first);

        System.clearProperty(MachineId.PROPERTY);
        MachineId.setRandomUnlessSet();
        assertNotEquals(first, System.getProperty(MachineId.PROPERTY));
    }

    @Test
    void keepsAValueTheUserSet() {
        System.setProperty(MachineId.PROPERTY, "02:00:00:00:00:01");
        MachineId.setRandomUnlessSet();
        assertEquals("02:00:00:00:00:01", System.getProperty(MachineId.PROPERTY));
    }
}

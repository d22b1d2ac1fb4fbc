package dev.midstream.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

class FreePortTest {
    @Test
    void aRangeWithABusyOrTakenPortIsNotUsable() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int busy = held.getLocalPort();
            assertFalse(FreePort.isFree(busy));
            assertFalse(FreePort.usable(busy - 1, 2), "the neighbour of the first port is busy");
            assertFalse(FreePort.usable(busy, 1), "the first port is busy");
        }
        int first = FreePort.pickRange(2);
        assertTrue(FreePort.usable(first, 2), "what pickRange returns");
        assertFalse(FreePort.usable(first, 2, first + 1), "its second port is taken by another of the caller's");
        assertFalse(FreePort.usable(65535, 2), "past the last port");
    }

    @Test
    void pickRangeAvoidsTheTakenPorts() {
        int taken = FreePort.pick();
        for (int i = 0; i < 20; i++) {
            int first = FreePort.pickRange(2, taken);
            assertTrue(taken < first || taken > first + 1, first + "-" + (first + 1) + " holds " + taken);
        }
    }
}

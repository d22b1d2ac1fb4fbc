package dev.midstream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.stream.IntStream;

/** A TCP port on 127.0.0.1 that was free a moment ago. */
public final class FreePort {
    private static final int ATTEMPTS = 100;

    private FreePort() {}

    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /**
     * The first of {@code count} consecutive ports that were all free a moment ago and are none of {@code taken}:
     * for a process given a range (Flink's Prometheus reporter takes one port of it per JVM), where a port picked
     * alone says nothing about its neighbour.
     */
    public static int pickRange(int count, int... taken) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int first = pick();
            if (usable(first, count, taken)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports on 127.0.0.1 in " + ATTEMPTS
                + " tries");
    }

    /** Whether ports {@code first} to {@code first + count - 1} are all free now and none of {@code taken}. */
    static boolean usable(int first, int count, int... taken) {
        int end = first + count;
        return end - 1 <= 65535 && IntStream.of(taken).noneMatch(port -> port >= first && port < end)
                && IntStream.range(first, end).allMatch(FreePort::isFree);
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int orPick(int port) {
        return port == 0 ? pick() : port;
    }
}

package dev.midstream.testkit;

import java.nio.file.Path;

/**
 * The embedded broker as a process of its own: {@code java -cp <testkit class path>
 * dev.midstream.testkit.StandaloneKafkaBroker <data dir> <port>}. Prints {@code READY <bootstrap servers>} once it
 * serves, and stops when its standard input closes (so it never outlives the process that started it). For
 * class paths that cannot hold the broker's Scala 2.13, such as one with Flink's table planner (Scala 2.12).
 */
public final class StandaloneKafkaBroker {
    private StandaloneKafkaBroker() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: StandaloneKafkaBroker <data dir> <port>");
            System.exit(64);
        }
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(args[0]), Integer.parseInt(args[1])).start()) {
            System.out.println("READY " + broker.bootstrapServers());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}

package dev.midstream.bench;

import org.apache.flink.runtime.util.EnvironmentInformation;

import org.apache.kafka.common.utils.AppInfoParser;

import java.nio.file.Files;
import java.nio.file.Path;

/** One line naming the machine the numbers come from. */
final class Machine {
    private Machine() {}

    static String describe() {
        String cpu = "unknown CPU";
        long memory = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L) / (1024 * 1024);
        } catch (Exception e) {
            // not Linux: keep the defaults
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memory + " GiB, Java "
                + System.getProperty("java.version") + ", Flink " + EnvironmentInformation.getVersion() + ", PostgreSQL 17, Kafka "
                + AppInfoParser.getVersion();
    }
}

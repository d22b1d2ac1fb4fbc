package dev.midstream.deploy;

import dev.midstream.model.Spelling;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every Flink configuration key that some {@link ConfigOption} defines (with its fallback and deprecated keys),
 * read from the option classes ({@code *Options}) of the Flink jars on the test classpath: core, runtime, RocksDB,
 * Kubernetes, the autoscaler and the Prometheus reporter.
 */
final class FlinkOptionKeys {
    private static final List<String> JARS = List.of(
            "flink-core-", "flink-runtime-", "flink-streaming-java-", "flink-statebackend-rocksdb-", "flink-clients-",
            "flink-kubernetes-2", "flink-autoscaler-", "flink-metrics-prometheus-");
    private static final Pattern REPORTER = Pattern.compile("metrics\\.reporter\\.[^.]+\\.(.+)");

    /**
     * {@code kubernetes.operator.*} options are defined in the operator itself, which is not on Maven Central.
     * These keys were checked against KubernetesOperatorConfigOptions of flink-kubernetes-operator 1.10.
     */
    static final Set<String> OPERATOR_KEYS = Set.of(
            "kubernetes.operator.periodic.savepoint.interval",
            "kubernetes.operator.savepoint.history.max.count",
            "kubernetes.operator.savepoint.history.max.age",
            "kubernetes.operator.deployment.rollback.enabled",
            "kubernetes.operator.deployment.readiness.timeout");
    /** Read by PrometheusReporterFactory from the reporter's own configuration, not a ConfigOption. */
    private static final Set<String> PROMETHEUS_REPORTER_ARGS = Set.of("port", "filterLabelValueCharacters");

    private final Set<String> keys = new TreeSet<>();
    private final Set<String> reporterSuffixes = new HashSet<>();
    final Set<String> classesRead = new TreeSet<>();

    FlinkOptionKeys() {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            if (entry.endsWith(".jar") && JARS.stream().anyMatch(name::startsWith)) {
                read(new File(entry));
            }
        }
        for (String key : keys) {
            if (!key.startsWith("metrics.")) {
                reporterSuffixes.add(key);
            }
        }
        reporterSuffixes.addAll(PROMETHEUS_REPORTER_ARGS);
    }

    private void read(File jar) {
        try (JarFile file = new JarFile(jar)) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String path = entries.nextElement().getName();
                if (path.startsWith("org/apache/flink/") && path.endsWith("Options.class") && !path.contains("$")
                        && !path.contains("/shaded/")) {
                    readClass(path.replace('/', '.').substring(0, path.length() - ".class".length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readClass(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, true, getClass().getClassLoader());
        } catch (Throwable notLoadable) {
            return;
        }
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    field.setAccessible(true);
                    ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                    keys.add(option.key());
                    for (FallbackKey fallback : option.fallbackKeys()) {
                        keys.add(fallback.getKey());
                    }
                    classesRead.add(type.getSimpleName());
                } catch (Throwable inaccessible) {
                    // not an option we can read
                }
            }
        }
    }

    boolean isKnown(String key) {
        if (keys.contains(key) || OPERATOR_KEYS.contains(key)) {
            return true;
        }
        Matcher reporter = REPORTER.matcher(key);
        return reporter.matches() && reporterSuffixes.contains(reporter.group(1));
    }

    /** The known key closest to {@code key}, for error messages. */
    String closest(String key) {
        return Spelling.closest(keys, key).orElse("(none close)");
    }

    int size() {
        return keys.size();
    }
}

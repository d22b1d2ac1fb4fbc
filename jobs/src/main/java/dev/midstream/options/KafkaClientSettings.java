package dev.midstream.options;

import dev.midstream.model.Secret;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and checks {@code midstream.kafka.properties.*}: no setting Midstream owns, no secret written out. */
final class KafkaClientSettings {
    /** Set by Midstream for each client; a pass-through would break exactly-once or the accounting. */
    private static final Map<String, String> OWNED = Map.of(
            "bootstrap.servers", "set midstream.kafka.bootstrap-servers",
            "group.id", "set midstream.source.group-id",
            "transactional.id", "clean topics derive it per pipeline",
            "isolation.level", "clean-topic readers read committed records only",
            "enable.auto.commit", "offsets are committed on checkpoints",
            "key.serializer", "set by Midstream", "value.serializer", "set by Midstream",
            "key.deserializer", "set by Midstream", "value.deserializer", "set by Midstream",
            "config.providers", "Midstream declares the env and dir providers its references need");
    private static final Pattern JAAS_PASSWORD = Pattern.compile("(?i)password\\s*=\\s*\"([^\"]*)\"");

    private KafkaClientSettings() {}

    /** The settings under the prefix, by Kafka key; problems (key, message) for what may not be passed. */
    static Map<String, String> read(Map<String, String> all, java.util.function.Function<String, String> env,
            BiConsumer<String, String> problem) {
        Map<String, String> settings = new TreeMap<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (!e.getKey().startsWith(KafkaOptions.PREFIX)) {
                continue;
            }
            String key = e.getKey().substring(KafkaOptions.PREFIX.length());
            String value = e.getValue() == null ? "" : e.getValue().strip();
            if (OWNED.containsKey(key)) {
                problem.accept(e.getKey(), "not passed through: " + OWNED.get(key) + "; remove it");
            } else if (key.startsWith("config.providers.")) {
                problem.accept(e.getKey(), "not passed through: " + OWNED.get("config.providers") + "; remove it");
            } else if (writtenSecret(key, value)) {
                problem.accept(e.getKey(), "secrets are never written into the job configuration; reference it"
                        + " instead: ${env:NAME} or ${file:/path/to/secret}"
                        + (key.equals("sasl.jaas.config") ? ", e.g. password=\"${env:KAFKA_PASSWORD}\"" : ""));
            } else {
                try {
                    // read once here, so a missing secret stops the submission rather than the clients
                    Secret.resolve(value, env);
                    settings.put(key, value);
                } catch (IllegalStateException unresolved) {
                    problem.accept(e.getKey(), unresolved.getMessage());
                }
            }
        }
        return settings;
    }

    private static boolean writtenSecret(String key, String value) {
        if (key.equals("sasl.jaas.config")) {
            Matcher password = JAAS_PASSWORD.matcher(value);
            while (password.find()) {
                if (!Secret.REFERENCE.matcher(password.group(1)).matches()) {
                    return true;
                }
            }
            return false;
        }
        boolean sensitive = key.endsWith(".password") || key.contains("secret") || key.equals("ssl.keystore.key");
        return sensitive && !Secret.REFERENCE.matcher(value).find();
    }
}

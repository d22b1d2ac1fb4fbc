package dev.midstream.source;

import dev.midstream.model.Secret;

import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Resolves Midstream's secret references inside Kafka client settings ({@code ${env:NAME}}, {@code ${file:/path}}),
 * as a Kafka configuration provider: each client — source reader, producer, on whichever TaskManager — reads the
 * value where it runs, the same way {@link Secret} does (stripped), and the job graph holds only the reference.
 * Registered under the aliases {@code env} and {@code file} with the parameter {@code kind}.
 */
public final class KafkaSecretProvider implements ConfigProvider {
    private String kind = "env";

    @Override
    public void configure(Map<String, ?> configs) {
        Object configured = configs.get("kind");
        if (configured != null) {
            kind = configured.toString();
        }
    }

    @Override
    public ConfigData get(String path) {
        return new ConfigData(Map.of());
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        Map<String, String> values = new HashMap<>();
        for (String key : keys) {
            values.put(key, Secret.resolve("${" + kind + ":" + key + "}", System::getenv));
        }
        return new ConfigData(values);
    }

    @Override
    public void close() {}
}

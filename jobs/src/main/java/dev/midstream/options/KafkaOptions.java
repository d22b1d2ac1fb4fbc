package dev.midstream.options;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How every Kafka client of the job reaches the brokers: the bootstrap servers and the client settings given as
 * {@code midstream.kafka.properties.<key>} (security above all: {@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}), the same for sources, clean-topic and dead-letter producers and the transform layer's readers.
 * A secret in a setting is a reference, {@code ${env:NAME}} or {@code ${file:/path}}, which the Kafka client
 * resolves where it runs through a Kafka configuration provider: the value is never in the job graph.
 */
public record KafkaOptions(String bootstrapServers, Map<String, String> clientSettings) implements Serializable {
    public static final String PREFIX = "midstream.kafka.properties.";
    /** By name: Kafka loads it in each client; options do not reach operator code. */
    static final String SECRET_PROVIDER = "dev.midstream.source.KafkaSecretProvider";
    static final String PRODUCER_COMPRESSION = "lz4";

    public KafkaOptions {
        clientSettings = Map.copyOf(clientSettings);
    }

    public KafkaOptions(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /**
     * The client settings as Kafka reads them, with {@code env} and {@code file} declared as configuration providers
     * (Midstream's {@code KafkaSecretProvider}) when a value references a secret.
     */
    public Properties clientProperties() {
        Properties properties = new Properties();
        boolean references = false;
        for (Map.Entry<String, String> setting : new TreeMap<>(clientSettings).entrySet()) {
            references |= setting.getValue().contains("${env:") || setting.getValue().contains("${file:");
            properties.setProperty(setting.getKey(), setting.getValue());
        }
        if (references) {
            properties.setProperty("config.providers", "env,file");
            for (String kind : List.of("env", "file")) {
                properties.setProperty("config.providers." + kind + ".class", SECRET_PROVIDER);
                properties.setProperty("config.providers." + kind + ".param.kind", kind);
            }
        }
        return properties;
    }

    /**
     * What Midstream's producers (the clean topic's and the dead letters') get: the client settings, with
     * {@code compression.type} {@value #PRODUCER_COMPRESSION} unless they set one. Kafka's own default is none, and
     * records of JSON text compress well: in the bench the dead-letter topic took 40 MB instead of 972 MB.
     */
    public Properties producerProperties() {
        Properties properties = clientProperties();
        properties.putIfAbsent("compression.type", PRODUCER_COMPRESSION);
        return properties;
    }

    /** Where a problem with this connection is reported: the servers and the protocol, never a setting's value. */
    public String describe() {
        return "Kafka " + bootstrapServers + " (" + clientSettings.getOrDefault("security.protocol", "PLAINTEXT")
                + (clientSettings.containsKey("sasl.mechanism") ? ", SASL " + clientSettings.get("sasl.mechanism") : "")
                + ")";
    }

    @Override
    public String toString() {
        return "KafkaOptions[" + describe() + ", settings " + new TreeMap<>(clientSettings).keySet() + "]";
    }
}

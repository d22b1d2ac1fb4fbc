package dev.midstream.options;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.HtmlFormatter;

import java.time.Duration;

/** Prints the README's option table from {@link MidstreamOptions}; a test checks the README holds exactly this. */
public final class OptionsTable {
    private OptionsTable() {}

    public static String markdown() {
        StringBuilder table = new StringBuilder("| option | default | meaning |\n| --- | --- | --- |\n");
        for (ConfigOption<?> option : MidstreamOptions.ALL) {
            table.append("| `").append(option.key()).append("` | ")
                    .append(option.hasDefaultValue() ? "`" + format(option.defaultValue()) + "`" : "—").append(" | ")
                    .append(new HtmlFormatter().format(option.description()).replace("|", "\\|")).append(" |\n");
        }
        table.append("| `").append(KafkaOptions.PREFIX).append("<key>` | — | Any Kafka client setting, for every")
                .append(" Kafka client of the job (sources, clean-topic and dead-letter producers, the transform layer's")
                .append(" readers), e.g. security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.location.")
                .append(" Secrets only as ${env:NAME} or ${file:/path}, which the client resolves where it runs;")
                .append(" settings Midstream owns (bootstrap.servers, group.id, transactional.id, …) are refused.")
                .append(" Midstream's producers compress with ").append(KafkaOptions.PRODUCER_COMPRESSION)
                .append(" unless compression.type is set. |\n");
        return table.toString();
    }

    static String format(Object value) {
        if (value instanceof Duration d) {
            return d.toHours() > 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0 && d.toMillisPart() == 0
                    ? d.toHours() + " h" : d.toMillis() + " ms";
        }
        return String.valueOf(value);
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }
}

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

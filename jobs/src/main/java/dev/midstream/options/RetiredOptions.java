package dev.midstream.options;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options that no longer exist, with where each moved. A job configuration that still sets one is refused at
 * start-up with that answer: silently ignoring it would leave the user believing it applies.
 */
public final class RetiredOptions {
    static final Map<String, String> MOVED = moved();

    private RetiredOptions() {}

    private static Map<String, String> moved() {
        Map<String, String> moved = new LinkedHashMap<>();
        String perDataSet = "is set per data set now: ";
        moved.put("midstream.pipeline.name", "a pipeline is named by 'pipeline:' at the top of its pipeline file");
        moved.put("midstream.source.topic", perDataSet + "'source.topics' in the pipeline file");
        moved.put("midstream.validation.max-amount", perDataSet + "a range rule in the pipeline file"
                + " (see amount_range in pipelines/orders.yaml)");
        moved.put("midstream.dedup.ttl", perDataSet + "'dedup.ttl' in the pipeline file");
        moved.put("midstream.pii.salt-env", "is set per field now: 'pii: [{field: …, hash: {salt: \"${env:NAME}\"}}]'"
                + " in the pipeline file");
        moved.put("midstream.pii.salt-file", "is set per field now: 'pii: [{field: …, hash: {salt: \"${file:/path}\"}}]'"
                + " in the pipeline file");
        moved.put("midstream.sink.table", perDataSet + "'sink.table' in the pipeline file");
        moved.put("midstream.deadletter.topic", perDataSet + "'dead_letters.topic' in the pipeline file");
        moved.put("midstream.deadletter.table", perDataSet + "'dead_letters.table' in the pipeline file");
        moved.put("midstream.source.bootstrap-servers", "is renamed " + MidstreamOptions.BOOTSTRAP_SERVERS.key()
                + " (the sinks use it too)");
        moved.put("midstream.sink.jdbc-url", "is renamed " + MidstreamOptions.JDBC_URL.key());
        moved.put("midstream.sink.username", "is renamed " + MidstreamOptions.JDBC_USERNAME.key());
        moved.put("midstream.sink.password-env", "is renamed " + MidstreamOptions.JDBC_PASSWORD_ENV.key());
        return moved;
    }

    /** Where {@code key} moved, or null if it was never an option. */
    static String whereMoved(String key) {
        return MOVED.get(key);
    }
}

package dev.midstream.cleanse;

import dev.midstream.model.PiiSpec;
import dev.midstream.record.FlowRecord;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The last step that changes a record: applies the {@code pii:} entries (hash with the referenced salt, mask all
 * but the last characters, drop) and drops the raw payload, so nothing after it holds raw personal data.
 */
public class RecordMasker extends ProcessFunction<FlowRecord, FlowRecord> {
    private static final long serialVersionUID = 1L;

    private final List<PiiSpec> fields;

    private transient MessageDigest sha256;
    private transient byte[][] salts;

    public RecordMasker(List<PiiSpec> fields) {
        this.fields = List.copyOf(fields);
    }

    @Override
    public void open(OpenContext openContext) throws NoSuchAlgorithmException {
        sha256 = MessageDigest.getInstance("SHA-256");
        salts = new byte[fields.size()][];
        for (int i = 0; i < fields.size(); i++) {
            salts[i] = fields.get(i).kind() == PiiSpec.Kind.HASH ? fields.get(i).salt().value() : null;
        }
    }

    @Override
    public void processElement(FlowRecord record, Context ctx, Collector<FlowRecord> out) {
        for (int i = 0; i < fields.size(); i++) {
            PiiSpec pii = fields.get(i);
            Object value = record.data.get(pii.field());
            if (value == null) {
                continue;
            }
            String text = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
            record.data.set(pii.field(), switch (pii.kind()) {
                case HASH -> hash(salts[i], text);
                case MASK -> mask(text, pii.keepLast());
                case DROP -> null;
            });
        }
        record.payload = null;
        out.collect(record);
    }

    private String hash(byte[] salt, String text) {
        sha256.reset();
        sha256.update(salt);
        return HexFormat.of().formatHex(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code 14155550123} with keep 4 becomes {@code *******0123}; shorter values are masked entirely. */
    static String mask(String text, int keepLast) {
        int hidden = Math.max(0, text.length() - keepLast);
        return "*".repeat(hidden) + text.substring(hidden);
    }
}

package dev.midstream.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The JSON form of a dead letter on the dead-letter topic. The payload is Base64: it may not be text. */
public final class DeadLetterJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeadLetterJson() {}

    public static byte[] key(DeadLetter letter) {
        return letter.sourcePosition().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] value(DeadLetter letter) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("pipeline", letter.pipeline);
        node.put("stage", letter.stageLabel());
        node.put("rule", letter.rule);
        node.put("field", letter.field);
        node.put("reason", letter.reason);
        ObjectNode source = node.putObject("source");
        source.put("topic", letter.sourceTopic);
        source.put("partition", letter.sourcePartition);
        source.put("offset", letter.sourceOffset);
        node.put("payload_base64", letter.payload == null ? null : Base64.getEncoder().encodeToString(letter.payload));
        node.put("payload_size", letter.payloadSize);
        node.put("payload_truncated", letter.payloadTruncated);
        node.put("rejected_at", letter.rejectedAt.toString());
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

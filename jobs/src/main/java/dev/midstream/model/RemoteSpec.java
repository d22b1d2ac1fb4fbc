package dev.midstream.model;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A {@code remote:} step: a function served over HTTP by a function host (Knative, AWS Lambda, any service speaking
 * the remote-function protocol). Only {@code fields} are sent (all fields when empty) and the result is merged back
 * into the record. Records go in batches of at most {@code maxRecords} and {@code maxBytes}, waiting at most
 * {@code linger}, {@code maxInFlight} batches per subtask at a time; each attempt has {@code timeout}, and failed
 * attempts are retried up to {@code maxAttempts} times within {@code retryFor}, backing off from {@code backoff} to
 * {@code maxBackoff}. {@code url} and {@code headers} are resolved values; {@code urlReference} and the header
 * references are what messages show.
 */
public record RemoteSpec(String function, String url, String urlReference, List<String> fields,
        Map<String, Object> params, Map<String, Secret> headers, int maxRecords, long maxBytes, Duration linger,
        int maxInFlight, Duration timeout, int maxAttempts, Duration backoff, Duration maxBackoff, Duration retryFor,
        OnUnavailable onUnavailable, boolean allowPii) implements Serializable {

    /** What a batch does once its retries are spent: fail the job (Flink restarts it), or become dead letters. */
    public enum OnUnavailable { FAIL, DEAD_LETTER }

    public static final int DEFAULT_MAX_RECORDS = 100;
    public static final long DEFAULT_MAX_BYTES = 1L << 20;
    public static final Duration DEFAULT_LINGER = Duration.ofMillis(20);
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_FOR = Duration.ofMinutes(2);

    /** The URL as messages show it: the reference, or the literal URL without its query. */
    public String shownUrl() {
        return urlReference != null ? urlReference : url.replaceFirst("\\?.*", "");
    }

    @Override
    public String toString() {
        return "RemoteSpec[function=" + function + ", url=" + shownUrl() + ", fields=" + fields + ", headers="
                + headers.keySet() + "]";
    }
}

package dev.midstream.function;

import dev.midstream.model.RemoteSpec;
import dev.midstream.model.Secret;
import dev.midstream.udf.remote.RemoteProtocol;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Calls one remote function for a batch of records, with its own retries under a deadline (so Flink's async
 * timeout never fires first): connection errors, timeouts, 408, 429 and 5xx are retried with exponential backoff and
 * jitter, honouring {@code Retry-After}; a batch that still fails with 500 (the host says the function crashed) and
 * any 413 (too large) is split in halves until the one record that fails is answered with an error on its own;
 * 400, 401, 403, 404, 405, 422 and answers that break the protocol fail at once, naming the step and the URL. A
 * batch that stays unavailable completes with {@link Unavailable}.
 */
final class RemoteClient {
    /** The host could not be reached, or kept answering "not now", for the whole retry budget. */
    static final class Unavailable extends IOException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /** The host answered in a way no retry can fix: a wrong URL, function or credentials, or not the protocol. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final String pipeline;
    private final String step;
    private final RemoteSpec spec;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final URI invoke;
    private final LongConsumer retried;
    private final LongConsumer split;

    RemoteClient(String pipeline, String step, RemoteSpec spec, Executor executor, ScheduledExecutorService timer,
            LongConsumer retried, LongConsumer split) {
        this.pipeline = pipeline;
        this.step = step;
        this.spec = spec;
        this.timer = timer;
        this.retried = retried;
        this.split = split;
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(spec.timeout())
                .version(HttpClient.Version.HTTP_1_1).build();
        this.invoke = URI.create(base(spec.url()) + "/v1/functions/" + spec.function());
    }

    static String base(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Every call's outcome, by id; the future fails with {@link Unavailable} or {@link Refused}. */
    CompletableFuture<Map<String, RemoteProtocol.Outcome>> call(List<RemoteProtocol.Call> calls) {
        long deadline = System.nanoTime() + spec.retryFor().toNanos();
        return call(calls, deadline);
    }

    private CompletableFuture<Map<String, RemoteProtocol.Outcome>> call(List<RemoteProtocol.Call> calls, long deadline) {
        return attempt(calls, 1, deadline, null).thenCompose(answer -> {
            if (answer.outcomes != null) {
                return CompletableFuture.completedFuture(answer.outcomes);
            }
            // 500 after the retries, or 413: find the record by halves
            if (calls.size() == 1) {
                return CompletableFuture.completedFuture(Map.of(calls.get(0).id(), RemoteProtocol.Outcome.failed(
                        calls.get(0).id(), answer.splitReason)));
            }
            split.accept(1);
            int half = calls.size() / 2;
            CompletableFuture<Map<String, RemoteProtocol.Outcome>> left = call(calls.subList(0, half), deadline);
            CompletableFuture<Map<String, RemoteProtocol.Outcome>> right = call(calls.subList(half, calls.size()), deadline);
            return left.thenCombine(right, (a, b) -> {
                Map<String, RemoteProtocol.Outcome> all = new HashMap<>(a);
                all.putAll(b);
                return all;
            });
        });
    }

    /** Outcomes, or the reason to split the batch. */
    private record Answer(Map<String, RemoteProtocol.Outcome> outcomes, String splitReason) {}

    private CompletableFuture<Answer> attempt(List<RemoteProtocol.Call> calls, int attempt, long deadline,
            String lastProblem) {
        HttpRequest.Builder request = HttpRequest.newBuilder(invoke)
                .timeout(spec.timeout())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", calls.get(0).id() + "+" + (calls.size() - 1))
                .POST(HttpRequest.BodyPublishers.ofByteArray(RemoteProtocol.encode(new RemoteProtocol.Request(
                        spec.function(), pipeline, step, spec.params(), calls))));
        for (Map.Entry<String, Secret> header : spec.headers().entrySet()) {
            request.header(header.getKey(), new String(header.getValue().value(), StandardCharsets.UTF_8));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        String problem = (cause instanceof HttpTimeoutException ? "no answer within " + spec.timeout()
                                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? ""
                                        : ": " + cause.getMessage()));
                        return retry(calls, attempt, deadline, problem, Optional.empty());
                    }
                    return answer(calls, attempt, deadline, response);
                })
                .thenCompose(f -> f);
    }

    private CompletableFuture<Answer> answer(List<RemoteProtocol.Call> calls, int attempt, long deadline,
            HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 200) {
            try {
                RemoteProtocol.Response decoded = RemoteProtocol.decodeResponse(response.body());
                Map<String, RemoteProtocol.Outcome> outcomes = new HashMap<>();
                decoded.outcomes().forEach(o -> outcomes.put(o.id(), o));
                for (RemoteProtocol.Call call : calls) {
                    if (!outcomes.containsKey(call.id())) {
                        return failed(new Refused(where() + " answered without a result for " + call.id()
                                + " (every record sent needs records or an error)"));
                    }
                }
                counters(decoded.counters());
                return CompletableFuture.completedFuture(new Answer(outcomes, null));
            } catch (RemoteProtocol.ProtocolException e) {
                return failed(new Refused(where() + " answered 200 with a body that breaks the protocol: "
                        + e.getMessage()));
            }
        }
        String error = RemoteProtocol.errorOf(response.body());
        if (status == 413) {
            return CompletableFuture.completedFuture(new Answer(null, "the host refused the record as too large (413): "
                    + error));
        }
        if (status == 500) {
            if (attempt < spec.maxAttempts() && System.nanoTime() < deadline) {
                return retry(calls, attempt, deadline, "500: " + error, Optional.empty());
            }
            return CompletableFuture.completedFuture(new Answer(null, "the function failed on this record (500): "
                    + error));
        }
        if (status == 408 || status == 429 || status >= 500) {
            return retry(calls, attempt, deadline, status + ": " + error,
                    response.headers().firstValue("Retry-After"));
        }
        return failed(new Refused(where() + " answered " + status + ": " + error));
    }

    private CompletableFuture<Answer> retry(List<RemoteProtocol.Call> calls, int attempt, long deadline,
            String problem, Optional<String> retryAfter) {
        long delay = Math.min(spec.maxBackoff().toNanos(), spec.backoff().toNanos() << Math.min(20, attempt - 1));
        delay = (long) (delay * (0.5 + ThreadLocalRandom.current().nextDouble() / 2));
        if (retryAfter.isPresent()) {
            delay = Math.max(delay, retryAfterNanos(retryAfter.get().strip()));
        }
        if (attempt >= spec.maxAttempts() || System.nanoTime() + delay > deadline) {
            return failed(new Unavailable(where() + " unavailable after " + attempt + " attempt" + (attempt == 1 ? ""
                    : "s") + ": " + problem));
        }
        retried.accept(1);
        CompletableFuture<Answer> next = new CompletableFuture<>();
        timer.schedule(() -> attempt(calls, attempt + 1, deadline, problem).whenComplete((a, e) -> {
            if (e != null) {
                next.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            } else {
                next.complete(a);
            }
        }), delay, TimeUnit.NANOSECONDS);
        return next;
    }

    /** {@code Retry-After} as seconds or an HTTP date; 0 when it is neither. */
    static long retryAfterNanos(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value))).toNanos();
        } catch (NumberFormatException notSeconds) {
            try {
                java.time.Instant at = java.time.ZonedDateTime.parse(value,
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, Duration.between(java.time.Instant.now(), at).toNanos());
            } catch (java.time.format.DateTimeParseException notADate) {
                return 0;
            }
        }
    }

    private volatile java.util.function.Consumer<Map<String, Long>> countersSink = c -> {};

    void onCounters(java.util.function.Consumer<Map<String, Long>> sink) {
        this.countersSink = sink;
    }

    private void counters(Map<String, Long> counters) {
        if (!counters.isEmpty()) {
            countersSink.accept(counters);
        }
    }

    private String where() {
        return "step '" + step + "': remote function '" + spec.function() + "' at " + spec.shownUrl();
    }

    private static <T> CompletableFuture<T> failed(Throwable e) {
        return CompletableFuture.failedFuture(e);
    }

    /** Checks the host at job start: it speaks the protocol, serves the function, and accepts the parameters. */
    static void checkHost(String step, RemoteSpec spec) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(spec.timeout()).version(HttpClient.Version.HTTP_1_1)
                .build();
        String where = "step '" + step + "': remote function '" + spec.function() + "' at " + spec.shownUrl();
        HttpRequest.Builder listing = HttpRequest.newBuilder(URI.create(base(spec.url()) + "/v1/functions"))
                .timeout(spec.timeout()).GET();
        spec.headers().forEach((k, v) -> listing.header(k, new String(v.value(), StandardCharsets.UTF_8)));
        HttpResponse<byte[]> listed;
        try {
            listed = http.send(listing.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IOException(where + ": cannot reach the host (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); start it, or check the URL");
        }
        if (listed.statusCode() != 200) {
            throw new IOException(where + ": listing the functions answered " + listed.statusCode() + ": "
                    + RemoteProtocol.errorOf(listed.body()));
        }
        List<String> names = new ArrayList<>(RemoteProtocol.decodeListing(listed.body()));
        if (!names.contains(spec.function())) {
            throw new IOException(where + ": the host does not serve it; it serves " + names);
        }
        HttpRequest.Builder check = HttpRequest.newBuilder(URI.create(base(spec.url()) + "/v1/functions/"
                + spec.function() + "/check")).timeout(spec.timeout()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(RemoteProtocol.check(spec.params())));
        spec.headers().forEach((k, v) -> check.header(k, new String(v.value(), StandardCharsets.UTF_8)));
        HttpResponse<byte[]> checked = http.send(check.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (checked.statusCode() != 200) {
            throw new IOException(where + ": the host refused the parameters (" + checked.statusCode() + "): "
                    + RemoteProtocol.errorOf(checked.body()));
        }
    }
}

package dev.midstream.host;

import dev.midstream.udf.FunctionContext;
import dev.midstream.udf.ParameterException;
import dev.midstream.udf.Parameters;
import dev.midstream.udf.Record;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;
import dev.midstream.udf.remote.RemoteProtocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The protocol's endpoints, whatever carries them (an HTTP server, a Lambda event): the listing, parameter checks,
 * invocations, health. Each worker thread has its own instance of each function and parameter set, so a function
 * is never called by two threads at once. A function that throws for a record answers that record with an error; one
 * that throws an {@link Error} (a crash, e.g. a stack overflow) fails the whole batch with 500, so the caller can
 * find the record by splitting the batch.
 */
public final class Invoker {
    /** An HTTP reply: status and JSON body (or plain text for health). */
    public record Reply(int status, byte[] body, String contentType) {
        static Reply json(int status, byte[] body) {
            return new Reply(status, body, "application/json");
        }

        static Reply text(int status, String body) {
            return new Reply(status, body.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
        }
    }

    private static final String PREFIX = "/v1/functions";

    private final Map<String, RecordFunctionFactory> functions;
    private final ThreadLocal<Map<Key, Instance>> instances = ThreadLocal.withInitial(LinkedHashMap::new);
    private final ConcurrentLinkedQueue<Instance> opened = new ConcurrentLinkedQueue<>();

    public Invoker(Map<String, RecordFunctionFactory> functions) {
        this.functions = Map.copyOf(functions);
    }

    /** Every function on the class path, by name ({@link ServiceLoader}). */
    public static Invoker fromClassPath(ClassLoader loader) {
        Map<String, RecordFunctionFactory> found = new TreeMap<>();
        for (RecordFunctionFactory factory : ServiceLoader.load(RecordFunctionFactory.class, loader)) {
            found.putIfAbsent(factory.name(), factory);
        }
        return new Invoker(found);
    }

    public java.util.Set<String> names() {
        return new java.util.TreeSet<>(functions.keySet());
    }

    public Reply handle(String method, String path, byte[] body) {
        if (path.equals("/healthz")) {
            return Reply.text(200, "ok\n");
        }
        if (path.equals("/readyz")) {
            return functions.isEmpty() ? Reply.text(503, "no functions on the class path\n") : Reply.text(200, "ready\n");
        }
        if (!path.startsWith(PREFIX)) {
            return error(404, "no such endpoint: " + path + "; the protocol's are under " + PREFIX);
        }
        String rest = path.substring(PREFIX.length());
        if (rest.isEmpty() || rest.equals("/")) {
            if (!method.equals("GET")) {
                return error(405, "GET " + PREFIX + " lists the functions");
            }
            Map<String, String> listing = new TreeMap<>();
            functions.forEach((name, f) -> listing.put(name, f.description()));
            return Reply.json(200, RemoteProtocol.listing(listing));
        }
        if (!method.equals("POST")) {
            return error(405, "functions are called with POST");
        }
        boolean check = rest.endsWith("/check");
        String name = rest.substring(1, check ? rest.length() - "/check".length() : rest.length());
        RecordFunctionFactory factory = functions.get(name);
        if (factory == null) {
            return error(404, "no function '" + name + "' here; this host serves " + names());
        }
        try {
            return check ? check(factory, RemoteProtocol.decodeCheck(body))
                    : invoke(name, factory, RemoteProtocol.decodeRequest(body));
        } catch (RemoteProtocol.ProtocolException e) {
            return error(400, "not a protocol " + RemoteProtocol.VERSION + " request: " + e.getMessage());
        }
    }

    private Reply check(RecordFunctionFactory factory, Map<String, Object> params) {
        try {
            factory.create(new Parameters(params));
            return Reply.json(200, RemoteProtocol.check(params));
        } catch (ParameterException e) {
            return error(422, "function '" + factory.name() + "': " + e.getMessage());
        } catch (RuntimeException e) {
            return error(422, "function '" + factory.name() + "' failed to start: " + e);
        }
    }

    private Reply invoke(String name, RecordFunctionFactory factory, RemoteProtocol.Request request) {
        Key key = new Key(name, request.params(), request.pipeline(), request.step());
        Instance instance;
        try {
            instance = instances.get().computeIfAbsent(key, k -> open(factory, k));
        } catch (ParameterException e) {
            return error(422, "function '" + name + "': " + e.getMessage());
        } catch (RuntimeException e) {
            return error(500, "function '" + name + "' failed to open: " + e);
        }
        instance.counters.clear();
        List<RemoteProtocol.Outcome> outcomes = new ArrayList<>(request.calls().size());
        for (RemoteProtocol.Call call : request.calls()) {
            List<Record> out = new ArrayList<>(2);
            try {
                instance.function.apply(call.fields().copy(), out::add);
                if (out.stream().anyMatch(Objects::isNull)) {
                    throw new IllegalStateException("the function emitted null");
                }
                outcomes.add(RemoteProtocol.Outcome.of(call.id(), out));
            } catch (Exception e) {
                outcomes.add(RemoteProtocol.Outcome.failed(call.id(), "function '" + name + "' failed: " + e));
            } catch (Error e) {
                instances.get().remove(key);
                return error(500, "function '" + name + "' crashed on record " + call.id() + ": " + e);
            }
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        instance.counters.forEach((counter, value) -> counters.put(counter, value[0]));
        return Reply.json(200, RemoteProtocol.encode(new RemoteProtocol.Response(outcomes, counters)));
    }

    private Instance open(RecordFunctionFactory factory, Key key) {
        Parameters parameters = new Parameters(key.params());
        RecordFunction function = factory.create(parameters);
        Instance instance = new Instance(function, new LinkedHashMap<>());
        try {
            function.open(new FunctionContext() {
                @Override
                public String pipeline() {
                    return key.pipeline();
                }

                @Override
                public String step() {
                    return key.step();
                }

                @Override
                public Parameters parameters() {
                    return parameters;
                }

                @Override
                public Counter counter(String name) {
                    return () -> instance.counters.computeIfAbsent(name, n -> new long[1])[0]++;
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e.toString(), e);
        }
        opened.add(instance);
        return instance;
    }

    /** Closes every function instance: at shutdown. */
    public void close() {
        for (Instance instance : opened) {
            try {
                instance.function.close();
            } catch (Exception ignored) {
                // closing is best effort at shutdown
            }
        }
        opened.clear();
    }

    private static Reply error(int status, String message) {
        return Reply.json(status, RemoteProtocol.error(message));
    }

    private record Key(String function, Map<String, Object> params, String pipeline, String step) {}

    private record Instance(RecordFunction function, Map<String, long[]> counters) {}
}

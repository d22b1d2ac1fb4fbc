package dev.midstream.function;

import dev.midstream.model.Spelling;
import dev.midstream.udf.RecordFunctionFactory;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The user functions on a class path, by name: the built-ins from {@code midstream-udfs} and every jar that
 * lists a {@link RecordFunctionFactory} in {@code META-INF/services}. Two factories with one name are an
 * error: which one ran would depend on class-path order.
 */
public final class FunctionCatalog {
    private final Map<String, RecordFunctionFactory> factories;

    private FunctionCatalog(Map<String, RecordFunctionFactory> factories) {
        this.factories = factories;
    }

    public static FunctionCatalog load(ClassLoader classLoader) {
        Map<String, RecordFunctionFactory> factories = new TreeMap<>();
        for (RecordFunctionFactory factory : ServiceLoader.load(RecordFunctionFactory.class, classLoader)) {
            RecordFunctionFactory other = factories.putIfAbsent(factory.name(), factory);
            if (other != null && other.getClass() != factory.getClass()) {
                throw new IllegalStateException("two user functions are named '" + factory.name() + "': "
                        + other.getClass().getName() + " and " + factory.getClass().getName()
                        + "; remove one of the jars from the class path or rename one function");
            }
        }
        return new FunctionCatalog(Collections.unmodifiableMap(factories));
    }

    public static FunctionCatalog load() {
        return load(Thread.currentThread().getContextClassLoader());
    }

    public Optional<RecordFunctionFactory> find(String name) {
        return Optional.ofNullable(factories.get(name));
    }

    public Map<String, RecordFunctionFactory> all() {
        return factories;
    }

    /** "unknown function" plus the nearest name, or the list of available ones. */
    public String unknownHint(String name) {
        return Spelling.closest(factories.keySet(), name).map(n -> "did you mean '" + n + "'? ").orElse("")
                + "available functions: " + factories.keySet()
                + "; a function from your own jar must be on the job's class path (usrlib/ or -C)";
    }
}

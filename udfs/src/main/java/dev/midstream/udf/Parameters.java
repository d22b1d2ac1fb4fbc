package dev.midstream.udf;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A function's parameters from the pipeline file ({@code params:}). Values are {@code String}, {@code Long},
 * {@code BigDecimal}, {@code Boolean}, {@code List} or {@code Map<String, ?>} of those. Every accessor
 * throws {@link ParameterException} naming the parameter and what was expected, so a bad pipeline file
 * fails at validation with a pointer to the offending line.
 */
public final class Parameters implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, Object> values;

    public Parameters(Map<String, ?> values) {
        this.values = new LinkedHashMap<>(values);
    }

    public static Parameters empty() {
        return new Parameters(Map.of());
    }

    /** Every parameter and its value, in declaration order: what a remote step sends to its host. */
    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(values);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(values.keySet());
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    /** Fails on any parameter not in {@code known}: a misspelt parameter must not be silently ignored. */
    public Parameters allowOnly(String... known) {
        Set<String> allowed = Set.of(known);
        for (String name : values.keySet()) {
            if (!allowed.contains(name)) {
                throw new ParameterException(name, "unknown parameter '" + name + "'; expected one of "
                        + new TreeSet<>(allowed));
            }
        }
        return this;
    }

    public String string(String name) {
        return required(name, string(name, null));
    }

    public String string(String name, String fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Long || value instanceof BigDecimal || value instanceof Boolean) {
            return value.toString();
        }
        throw wrongType(name, "a string", value);
    }

    public BigDecimal decimal(String name) {
        return required(name, decimal(name, null));
    }

    public BigDecimal decimal(String name, BigDecimal fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        return toDecimal(name, value);
    }

    public long integer(String name, long fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Long l) {
            return l;
        }
        throw wrongType(name, "an integer", value);
    }

    public boolean bool(String name, boolean fallback) {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw wrongType(name, "true or false", value);
    }

    /** A mapping of strings to strings, e.g. a code table. Numbers and booleans are taken as their text. */
    public Map<String, String> stringMap(String name) {
        Map<String, Object> map = map(name);
        Map<String, String> strings = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (value instanceof Map || value instanceof List || value == null) {
                throw new ParameterException(name, "'" + name + "." + key + "' must be a single value");
            }
            strings.put(key, value.toString());
        });
        return strings;
    }

    /** A mapping of strings to numbers, e.g. a rate table. */
    public Map<String, BigDecimal> decimalMap(String name) {
        Map<String, BigDecimal> decimals = new LinkedHashMap<>();
        map(name).forEach((key, value) -> decimals.put(key, toDecimal(name + "." + key, value)));
        return decimals;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String name) {
        Object value = required(name, values.get(name));
        if (value instanceof Map<?, ?> map) {
            return Collections.unmodifiableMap((Map<String, Object>) map);
        }
        throw wrongType(name, "a mapping", value);
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(String name) {
        Object value = required(name, values.get(name));
        if (value instanceof List<?> list) {
            return Collections.unmodifiableList((List<Object>) list);
        }
        throw wrongType(name, "a list", value);
    }

    public List<String> stringList(String name) {
        List<String> strings = new ArrayList<>();
        for (Object item : list(name)) {
            if (!(item instanceof String s)) {
                throw wrongType(name, "a list of strings", item);
            }
            strings.add(s);
        }
        return strings;
    }

    private <T> T required(String name, T value) {
        if (value == null) {
            throw new ParameterException(name, "missing required parameter '" + name + "'");
        }
        return value;
    }

    private static BigDecimal toDecimal(String name, Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        throw wrongType(name, "a number", value);
    }

    private static ParameterException wrongType(String name, String expected, Object value) {
        String shown = value instanceof String s ? "'" + s + "'" : value instanceof Map ? "a mapping"
                : value instanceof List ? "a list" : String.valueOf(value);
        int dot = name.indexOf('.');
        return new ParameterException(dot < 0 ? name : name.substring(0, dot),
                "'" + name + "' must be " + expected + ", got " + shown);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Parameters" + values.keySet();
    }
}

package dev.midstream.udf;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One record flowing through a pipeline: named fields in declaration order. A value is one of
 * {@code String}, {@code Long}, {@code BigDecimal}, {@code Boolean}, {@code Instant}, a nested {@code Record},
 * or a {@code List} of those; absent and null are the same. Names may be paths into nested records
 * ({@code address.city}). Typed getters fail with {@link FieldTypeException} naming the field when the value
 * has another type.
 */
public final class Record {
    private final LinkedHashMap<String, Object> fields;

    public Record() {
        this.fields = new LinkedHashMap<>();
    }

    private Record(LinkedHashMap<String, Object> fields) {
        this.fields = fields;
    }

    /** The value at {@code path}, or null if it, or a record on the way to it, is absent. */
    public Object get(String path) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            return fields.get(path);
        }
        Object head = fields.get(path.substring(0, dot));
        return head instanceof Record nested ? nested.get(path.substring(dot + 1)) : null;
    }

    public boolean has(String path) {
        return get(path) != null;
    }

    public String getString(String path) {
        return typed(path, String.class);
    }

    public Long getLong(String path) {
        return typed(path, Long.class);
    }

    public BigDecimal getDecimal(String path) {
        Object value = get(path);
        if (value instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        return typed(path, BigDecimal.class);
    }

    public Boolean getBoolean(String path) {
        return typed(path, Boolean.class);
    }

    public Instant getInstant(String path) {
        return typed(path, Instant.class);
    }

    public Record getRecord(String path) {
        return typed(path, Record.class);
    }

    @SuppressWarnings("unchecked")
    public List<Object> getList(String path) {
        return typed(path, List.class);
    }

    /**
     * Sets {@code path} to {@code value} (null removes it), creating nested records on the way.
     *
     * @throws IllegalArgumentException if the value is not one of the supported types
     */
    public Record set(String path, Object value) {
        checkValue(path, value);
        int dot = path.indexOf('.');
        if (dot < 0) {
            if (value == null) {
                fields.remove(path);
            } else {
                fields.put(path, value);
            }
            return this;
        }
        String head = path.substring(0, dot);
        Object nested = fields.get(head);
        if (!(nested instanceof Record)) {
            if (value == null) {
                return this;
            }
            nested = new Record();
            fields.put(head, nested);
        }
        ((Record) nested).set(path.substring(dot + 1), value);
        return this;
    }

    /** Removes {@code path} and returns what it held. */
    public Object remove(String path) {
        Object old = get(path);
        set(path, null);
        return old;
    }

    /** Calls {@code action} with each top-level field's name and value, in order. */
    public void forEach(BiConsumer<String, Object> action) {
        fields.forEach(action);
    }

    /** Top-level field names, in order. */
    public Set<String> fieldNames() {
        return Collections.unmodifiableSet(fields.keySet());
    }

    public int size() {
        return fields.size();
    }

    /** A deep copy: changing it never changes this record. */
    public Record copy() {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(fields.size() * 2);
        fields.forEach((name, value) -> copy.put(name, copyValue(value)));
        return new Record(copy);
    }

    private static Object copyValue(Object value) {
        if (value instanceof Record r) {
            return r.copy();
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object item : list) {
                copy.add(copyValue(item));
            }
            return copy;
        }
        return value;
    }

    /** True for the value types a record may hold. */
    public static boolean isSupported(Object value) {
        if (value == null || value instanceof String || value instanceof Long || value instanceof BigDecimal
                || value instanceof Boolean || value instanceof Instant || value instanceof Record) {
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item == null || !isSupported(item)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static void checkValue(String path, Object value) {
        if (!isSupported(value)) {
            throw new IllegalArgumentException("field '" + path + "': unsupported value type "
                    + value.getClass().getName() + "; use String, Long, BigDecimal, Boolean, Instant, Record or"
                    + " a List of those");
        }
    }

    private <T> T typed(String path, Class<T> type) {
        Object value = get(path);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new FieldTypeException(path, type, value);
    }

    /** The fields as an unmodifiable map (nested records stay records). */
    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(fields);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r && fields.equals(r.fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fields);
    }

    /** Field names only: values may be personal data and records end up in logs. */
    @Override
    public String toString() {
        return "Record" + fields.keySet();
    }
}

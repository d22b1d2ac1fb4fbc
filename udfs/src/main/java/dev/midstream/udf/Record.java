package dev.midstream.udf;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.BiConsumer;

/**
 * One record flowing through a pipeline: named fields in declaration order. A value is one of
 * {@code String}, {@code Long}, {@code BigDecimal}, {@code Boolean}, {@code Instant}, a nested {@code Record},
 * or a {@code List} of those; absent and null are the same. Names may be paths into nested records
 * ({@code address.city}). Typed getters fail with {@link FieldTypeException} naming the field when the value
 * has another type.
 */
public final class Record {
    private static final int DEFAULT_CAPACITY = 8;

    // Fields in order, on arrays: a record has a few to a few dozen fields, and names the job holds are the
    // instances its records hold (see FieldNames in the jobs module), so a scan by identity over one small array
    // finds a field sooner than a hash map's table and nodes would. Top-level names never contain a dot.
    private String[] names;
    private int[] hashes;
    private Object[] values;
    private int size;

    public Record() {
        this(DEFAULT_CAPACITY);
    }

    /** A record with room for {@code expectedFields} top-level fields before it grows. */
    public Record(int expectedFields) {
        int capacity = Math.max(1, expectedFields);
        names = new String[capacity];
        hashes = new int[capacity];
        values = new Object[capacity];
    }

    private int indexOf(String name) {
        String[] n = names;
        int count = size;
        for (int i = 0; i < count; i++) {
            if (n[i] == name) {
                return i;
            }
        }
        int hash = name.hashCode();
        int[] h = hashes;
        for (int i = 0; i < count; i++) {
            if (h[i] == hash && n[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private Object top(String name) {
        int index = indexOf(name);
        return index < 0 ? null : values[index];
    }

    /** Adds a field this record does not have. */
    private void append(String name, Object value) {
        if (size == names.length) {
            int capacity = size * 2;
            names = Arrays.copyOf(names, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        names[size] = name;
        hashes[size] = name.hashCode();
        values[size] = value;
        size++;
    }

    private void removeAt(int index) {
        int moved = size - index - 1;
        System.arraycopy(names, index + 1, names, index, moved);
        System.arraycopy(hashes, index + 1, hashes, index, moved);
        System.arraycopy(values, index + 1, values, index, moved);
        size--;
        names[size] = null;
        values[size] = null;
    }

    /** The value at {@code path}, or null if it, or a record on the way to it, is absent. */
    public Object get(String path) {
        int index = indexOf(path);
        if (index >= 0) {
            return values[index];
        }
        int dot = path.indexOf('.');
        if (dot < 0) {
            return null;
        }
        Object head = top(path.substring(0, dot));
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
        int index = indexOf(path);
        if (index >= 0) {
            if (value == null) {
                removeAt(index);
            } else {
                values[index] = value;
            }
            return this;
        }
        int dot = path.indexOf('.');
        if (dot < 0) {
            if (value != null) {
                append(path, value);
            }
            return this;
        }
        String head = path.substring(0, dot);
        int headIndex = indexOf(head);
        Object nested = headIndex < 0 ? null : values[headIndex];
        if (!(nested instanceof Record)) {
            if (value == null) {
                return this;
            }
            nested = new Record();
            if (headIndex < 0) {
                append(head, nested);
            } else {
                values[headIndex] = nested;
            }
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
        for (int i = 0; i < size; i++) {
            action.accept(names[i], values[i]);
        }
    }

    /** The name of the top-level field at {@code index} in order ({@code 0 <= index < size()}). */
    public String nameAt(int index) {
        return names[Objects.checkIndex(index, size)];
    }

    /** The value of the top-level field at {@code index} in order ({@code 0 <= index < size()}). */
    public Object valueAt(int index) {
        return values[Objects.checkIndex(index, size)];
    }

    /** Top-level field names, in order: a read-only view that follows the record. */
    public Set<String> fieldNames() {
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return new Fields<>() {
                    @Override
                    String at(int index) {
                        return names[index];
                    }
                };
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof String name && indexOf(name) >= 0;
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    public int size() {
        return size;
    }

    /** A deep copy: changing it never changes this record. */
    public Record copy() {
        Record copy = new Record(size);
        System.arraycopy(names, 0, copy.names, 0, size);
        System.arraycopy(hashes, 0, copy.hashes, 0, size);
        for (int i = 0; i < size; i++) {
            copy.values[i] = copyValue(values[i]);
        }
        copy.size = size;
        return copy;
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

    /** The fields as a read-only map view that follows the record (nested records stay records). */
    public Map<String, Object> asMap() {
        return new AbstractMap<>() {
            @Override
            public Set<Entry<String, Object>> entrySet() {
                return new AbstractSet<>() {
                    @Override
                    public Iterator<Entry<String, Object>> iterator() {
                        return new Fields<>() {
                            @Override
                            Entry<String, Object> at(int index) {
                                return new SimpleImmutableEntry<>(names[index], values[index]);
                            }
                        };
                    }

                    @Override
                    public int size() {
                        return size;
                    }
                };
            }

            @Override
            public Object get(Object key) {
                return key instanceof String name ? top(name) : null;
            }

            @Override
            public boolean containsKey(Object key) {
                return get(key) != null;
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** An iterator over the fields in order; read-only. */
    private abstract class Fields<T> implements Iterator<T> {
        private int next;

        abstract T at(int index);

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public T next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            return at(next++);
        }
    }

    /** The same fields with equal values, in any order (as the maps of the fields are equal). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Record r) || r.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!values[i].equals(r.top(names[i]))) {
                return false;
            }
        }
        return true;
    }

    /** As {@code Objects.hash(map of the fields)}. */
    @Override
    public int hashCode() {
        int hash = 0;
        for (int i = 0; i < size; i++) {
            hash += hashes[i] ^ values[i].hashCode();
        }
        return 31 + hash;
    }

    /** Field names only: values may be personal data and records end up in logs. */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ", "Record[", "]");
        for (int i = 0; i < size; i++) {
            text.add(names[i]);
        }
        return text.toString();
    }
}

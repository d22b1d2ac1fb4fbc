package dev.midstream.record;

import org.apache.flink.core.memory.DataInputView;

import java.io.IOException;

/**
 * Reads text in the form Flink's {@code StringValue.writeString} writes it (the length plus one as a 7-bit varint, 0
 * for null, then each UTF-16 char as a 7-bit varint), as {@code StringValue.readString} does but without its
 * thread-local buffer: on a task thread, with the thread locals of Kafka, Jackson and Flink around it, that lookup
 * took 7.7 % of the deduplicating task in the job's profile, one lookup per name and text of every record.
 */
final class StringValueReader {
    private static final int HIGH_BIT = 0x80;

    private StringValueReader() {}

    static String read(DataInputView in) throws IOException {
        int length = varint(in.readUnsignedByte(), in);
        if (length == 0) {
            return null;
        }
        length -= 1;
        if (length == 0) {
            return "";
        }
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) varint(in.readUnsignedByte(), in);
        }
        return new String(chars);
    }

    /** A field name: as {@link #read}, but the one instance of it {@link FieldNames} holds. */
    static String readName(DataInputView in) throws IOException {
        return readName(in, FieldNames.SHARED);
    }

    static String readName(DataInputView in, FieldNames names) throws IOException {
        int length = varint(in.readUnsignedByte(), in);
        if (length == 0) {
            return null;
        }
        length -= 1;
        char[] chars = new char[length];
        int hash = 0;
        for (int i = 0; i < length; i++) {
            char c = (char) varint(in.readUnsignedByte(), in);
            chars[i] = c;
            hash = 31 * hash + c;
        }
        return names.of(chars, length, hash);
    }

    /** A 7-bit varint whose first byte is {@code first}: most are that one byte. */
    static int varint(int first, DataInputView in) throws IOException {
        if (first < HIGH_BIT) {
            return first;
        }
        int value = first & 0x7f;
        int shift = 7;
        int next;
        while ((next = in.readUnsignedByte()) >= HIGH_BIT) {
            value |= (next & 0x7f) << shift;
            shift += 7;
        }
        return value | next << shift;
    }
}

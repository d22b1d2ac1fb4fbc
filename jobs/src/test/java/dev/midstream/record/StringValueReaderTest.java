package dev.midstream.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

class StringValueReaderTest {
    @Test
    void readsWhatFlinksStringValueWrites() throws IOException {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>(List.of("", "a", "é", "\u007f", "\u0080", "\u3fff", "\u4000", "\uffff",
                "\uD83D\uDE00", "\uD800", "x\uDC00y"));
        for (int length : new int[] {126, 127, 128, 129, 16382, 16383, 16384, 100_000}) {
            texts.add(randomText(random, length));
        }
        for (int i = 0; i < 5_000; i++) {
            texts.add(randomText(random, random.nextInt(40)));
        }
        texts.add(null);

        DataOutputSerializer flinks = new DataOutputSerializer(1 << 16);
        for (String text : texts) {
            StringValue.writeString(text, flinks);
        }
        DataInputDeserializer in = new DataInputDeserializer(flinks.getCopyOfBuffer());
        for (String text : texts) {
            assertEquals(text, StringValueReader.read(in));
        }
        assertEquals(0, in.available(), "each text reads exactly its own bytes");
    }

    @Test
    void nullAndEmptyStayApart() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(8);
        StringValue.writeString(null, out);
        StringValue.writeString("", out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertNull(StringValueReader.read(in));
        assertEquals("", StringValueReader.read(in));
    }

    @Test
    void namesReadBackAsTheOneInternedInstance() throws IOException {
        Random random = new Random(11);
        List<String> texts = new ArrayList<>(List.of("", "id", "amount", "é", "\uD83D\uDE00", "x\uDC00y"));
        for (int i = 0; i < 200; i++) {
            texts.add(randomText(random, 1 + random.nextInt(30)));
        }
        DataOutputSerializer out = new DataOutputSerializer(1 << 12);
        for (int round = 0; round < 2; round++) {
            for (String name : texts) {
                StringValue.writeString(name, out);
            }
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        FieldNames names = new FieldNames(1 << 12);
        for (int round = 0; round < 2; round++) {
            for (String name : texts) {
                assertSame(name.intern(), StringValueReader.readName(in, names), "the same instance each time");
            }
        }
        assertEquals(0, in.available());
    }

    @Test
    void theSerializersTableGivesTheInternedName() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        StringValue.writeString(new String("order_id"), out);
        assertSame("order_id", StringValueReader.readName(new DataInputDeserializer(out.getCopyOfBuffer())));
    }

    @Test
    void namesWithTheSameHashStayApart() throws IOException {
        List<String> names = List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa");
        assertEquals("Aa".hashCode(), "BB".hashCode(), "the premise: a collision");
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (int round = 0; round < 2; round++) {
            for (String name : names) {
                StringValue.writeString(name, out);
            }
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        FieldNames table = new FieldNames(16);
        for (int round = 0; round < 2; round++) {
            for (String name : names) {
                assertSame(name.intern(), StringValueReader.readName(in, table), name);
            }
        }
    }

    @Test
    void moreNamesThanSlotsStillReadBackEqual() throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            names.add("key-" + i);
        }
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        for (String name : names) {
            StringValue.writeString(name, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        FieldNames few = new FieldNames(16);
        int interned = 0;
        for (String name : names) {
            String read = StringValueReader.readName(in, few);
            assertEquals(name, read, "once the slots are taken, a plain text");
            interned += read == name.intern() ? 1 : 0;
        }
        assertEquals(16, interned, "one name interned per slot, no more");
    }

    /** Mostly ASCII, with Latin-1, other planes, emoji and lone surrogates mixed in. */
    static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            int kind = random.nextInt(16);
            if (kind == 0) {
                text.append((char) (0x80 + random.nextInt(0x80)));
            } else if (kind == 1) {
                text.append((char) (0x100 + random.nextInt(0x3f00)));
            } else if (kind == 2) {
                text.append((char) (0x4000 + random.nextInt(0xc000)));
            } else {
                text.append((char) random.nextInt(0x80));
            }
        }
        return text.substring(0, length);
    }
}

package dev.midstream.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

class StringValueWriterTest {
    @Test
    void writesTheBytesFlinksStringValueWrites() throws IOException {
        Random random = new Random(11);
        List<String> texts = new ArrayList<>(Arrays.asList(null, "", "a", "é", "\u007f", "\u0080", "\u00ff", "\u3fff",
                "\u4000", "\uffff", "\uD83D\uDE00", "\uD800", "x\uDC00y", "order-42", "plain ascii, then é"));
        for (int length : new int[] {1, 7, 126, 127, 128, 129, 16382, 16383, 16384, 100_000}) {
            texts.add(StringValueReaderTest.randomText(random, length));
            char[] ascii = new char[length];
            for (int i = 0; i < length; i++) {
                ascii[i] = (char) random.nextInt(0x80);
            }
            texts.add(new String(ascii));
        }
        for (int i = 0; i < 5_000; i++) {
            texts.add(StringValueReaderTest.randomText(random, random.nextInt(40)));
        }

        DataOutputSerializer flinks = new DataOutputSerializer(16);
        DataOutputSerializer ours = new DataOutputSerializer(16);
        for (String text : texts) {
            StringValue.writeString(text, flinks);
            StringValueWriter.write(text, ours);
            assertEquals(flinks.length(), ours.length(), () -> "the same length for " + text.length() + " chars");
        }
        assertArrayEquals(flinks.getCopyOfBuffer(), ours.getCopyOfBuffer());

        DataInputDeserializer in = new DataInputDeserializer(ours.getCopyOfBuffer());
        for (String text : texts) {
            assertEquals(text, StringValueReader.read(in));
        }
        assertEquals(0, in.available());
    }
}

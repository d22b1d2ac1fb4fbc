package dev.midstream.udf.builtin;

import static dev.midstream.udf.builtin.FunctionHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.midstream.udf.Record;

import org.junit.jupiter.api.Test;

import java.util.Map;

class LookupFunctionTest {
    private final LookupFunction lookup = new LookupFunction();
    private final Map<String, Object> table = Map.of("DE", "Germany", "FR", "France");

    @Test
    void mapsIntoAnotherField() throws Exception {
        Record out = apply(lookup, Map.of("field", "cc", "into", "country", "table", table), new Record().set("cc", "DE")).get(0);
        assertEquals("Germany", out.getString("country"));
        assertEquals("DE", out.getString("cc"));
    }

    @Test
    void mapsInPlaceByDefaultAndIgnoresCaseWhenAsked() throws Exception {
        Record out = apply(lookup, Map.of("field", "cc", "table", table, "ignore_case", true), new Record().set("cc", "fr")).get(0);
        assertEquals("France", out.getString("cc"));
    }

    @Test
    void aMissRejectsUnlessThereIsADefault() throws Exception {
        assertEquals("no mapping for cc value 'XX'",
                rejected(lookup, Map.of("field", "cc", "table", table), new Record().set("cc", "XX")).getMessage());
        Record out = apply(lookup, Map.of("field", "cc", "table", table, "default", "unknown"), new Record().set("cc", "XX")).get(0);
        assertEquals("unknown", out.getString("cc"));
    }

    @Test
    void anAbsentValueIsLeftAlone() throws Exception {
        assertNull(apply(lookup, Map.of("field", "cc", "into", "c", "table", table), new Record()).get(0).get("c"));
    }

    @Test
    void refusesBadParameters() {
        assertEquals("table", badParameters(lookup, Map.of("field", "cc")).parameter());
        assertEquals("table", badParameters(lookup, Map.of("field", "cc", "table", "DE=Germany")).parameter());
        assertEquals("table", badParameters(lookup, Map.of("field", "cc", "table", Map.of("DE", Map.of()))).parameter());
        assertEquals("ignore_case", badParameters(lookup, Map.of("field", "cc", "table", table, "ignore_case", "yes")).parameter());
    }
}

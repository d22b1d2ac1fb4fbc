package dev.midstream.udf.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.udf.FunctionContext;
import dev.midstream.udf.ParameterException;
import dev.midstream.udf.Parameters;
import dev.midstream.udf.Record;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

class EmailDomainFunctionTest {
    private final Map<String, Integer> counters = new java.util.HashMap<>();
    private final RecordFunction function =
            new EmailDomainFunction().create(new Parameters(Map.of("field", "email", "into", "domain")));

    private List<Record> apply(Record record) throws Exception {
        function.open(new FunctionContext() {
            @Override
            public String pipeline() {
                return "customers";
            }

            @Override
            public String step() {
                return "email_domain";
            }

            @Override
            public Parameters parameters() {
                return Parameters.empty();
            }

            @Override
            public Counter counter(String name) {
                return () -> counters.merge(name, 1, Integer::sum);
            }
        });
        List<Record> out = new ArrayList<>();
        function.apply(record, out::add);
        return out;
    }

    @Test
    void writesTheLowerCasedDomain() throws Exception {
        List<Record> out = apply(new Record().set("email", "Ada@Example.COM"));
        assertEquals("example.com", out.get(0).getString("domain"));
        assertEquals("Ada@Example.COM", out.get(0).getString("email"));
        assertEquals(Map.of("domains_found", 1), counters);
    }

    @Test
    void leavesARecordWithoutEmailAlone() throws Exception {
        List<Record> out = apply(new Record().set("id", "1"));
        assertEquals(1, out.size());
        assertEquals(null, out.get(0).get("domain"));
        assertEquals(Map.of(), counters, "nothing found, nothing counted");
    }

    @Test
    void rejectsAnEmailWithoutDomain() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> apply(new Record().set("email", "ada@")));
        assertTrue(e.getMessage().contains("'email' has no domain"), e.getMessage());
    }

    @Test
    void refusesUnknownParameters() {
        ParameterException e = assertThrows(ParameterException.class, () -> new EmailDomainFunction()
                .create(new Parameters(Map.of("field", "email", "into", "d", "onto", "x"))));
        assertEquals("onto", e.parameter());
    }

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        List<String> names = ServiceLoader.load(RecordFunctionFactory.class).stream()
                .map(p -> p.get().name()).toList();
        assertTrue(names.contains("email_domain"), names.toString());
    }
}

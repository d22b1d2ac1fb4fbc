package dev.midstream.udf.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.midstream.udf.RecordFunctionFactory;

import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

class BuiltinDiscoveryTest {
    @Test
    void everyBuiltinIsFoundByServiceLoaderUnderItsName() {
        Set<String> names = ServiceLoader.load(RecordFunctionFactory.class).stream()
                .map(p -> p.get().name()).collect(Collectors.toSet());
        assertEquals(Set.of("derive", "lookup", "flatten", "convert_currency", "classify"), names);
    }
}

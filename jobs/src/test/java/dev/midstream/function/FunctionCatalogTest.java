package dev.midstream.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.midstream.udf.Parameters;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

class FunctionCatalogTest {
    /** A second function named like the test jar's {@code misbehave}, as a clashing user jar would bring. */
    public static final class Impostor implements RecordFunctionFactory {
        @Override
        public String name() {
            return "misbehave";
        }

        @Override
        public String description() {
            return "clashes";
        }

        @Override
        public RecordFunction create(Parameters parameters) {
            return (record, out) -> out.emit(record);
        }
    }

    @Test
    void findsBuiltinsExampleAndTestFunctions() {
        FunctionCatalog catalog = FunctionCatalog.load();
        assertTrue(catalog.all().keySet().containsAll(java.util.Set.of(
                "derive", "lookup", "flatten", "convert_currency", "classify", "email_domain", "misbehave")));
        assertTrue(catalog.unknownHint("lokup").startsWith("did you mean 'lookup'? available functions: ["));
    }

    @Test
    void twoFunctionsWithOneNameAreAnError(@TempDir Path jar) throws Exception {
        Path services = Files.createDirectories(jar.resolve("META-INF/services"));
        Files.writeString(services.resolve(RecordFunctionFactory.class.getName()), Impostor.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> FunctionCatalog.load(loader));
            assertEquals("two user functions are named 'misbehave': " + MisbehavingFunction.class.getName() + " and "
                    + Impostor.class.getName() + "; remove one of the jars from the class path or rename one function",
                    e.getMessage());
        }
    }
}

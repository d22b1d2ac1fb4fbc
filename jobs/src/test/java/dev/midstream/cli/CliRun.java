package dev.midstream.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Function;

/** One {@code midstream} command line, run in the test JVM: its exit code and what it printed. */
public record CliRun(int exitCode, String out, String err) {
    public static CliRun of(Function<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Midstream.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new CliRun(code, out.toString(), err.toString());
    }
}

package dev.midstream.udf.examples;

import dev.midstream.udf.FunctionContext;
import dev.midstream.udf.Parameters;
import dev.midstream.udf.Record;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;

import java.util.Locale;

/**
 * {@code email_domain}: writes the lower-cased domain of the email in {@code field} to {@code into}, e.g. for
 * counting customers per provider after the email itself is hashed. An email without a domain rejects the record.
 */
public final class EmailDomainFunction implements RecordFunctionFactory {
    @Override
    public String name() {
        return "email_domain";
    }

    @Override
    public String description() {
        return "the domain part of an email address (example user function)";
    }

    @Override
    public RecordFunction create(Parameters parameters) {
        parameters.allowOnly("field", "into");
        String field = parameters.string("field");
        String into = parameters.string("into");
        return new RecordFunction() {
            private FunctionContext.Counter found;

            @Override
            public void open(FunctionContext context) {
                found = context.counter("domains_found");
            }

            @Override
            public void apply(Record record, Emitter out) {
                String email = record.getString(field);
                if (email != null) {
                    int at = email.lastIndexOf('@');
                    String domain = at < 0 ? "" : email.substring(at + 1).strip().toLowerCase(Locale.ROOT);
                    if (domain.isEmpty()) {
                        throw new IllegalArgumentException("'" + field + "' has no domain after '@'");
                    }
                    record.set(into, domain);
                    found.inc();
                }
                out.emit(record);
            }
        };
    }
}

package dev.midstream.udf.builtin;

import dev.midstream.udf.ParameterException;
import dev.midstream.udf.Parameters;
import dev.midstream.udf.RecordFunction;
import dev.midstream.udf.RecordFunctionFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code convert_currency}: converts {@code amount} in the currency named by the {@code currency} field to
 * {@code target} with a rate table from the pipeline file (units of target per unit of currency), rounded
 * half-even to {@code scale}. An unknown currency rejects the record.
 */
public final class ConvertCurrencyFunction implements RecordFunctionFactory {
    @Override
    public String name() {
        return "convert_currency";
    }

    @Override
    public String description() {
        return "convert an amount to one currency with a rate table";
    }

    @Override
    public RecordFunction create(Parameters parameters) {
        parameters.allowOnly("amount", "currency", "rates", "target", "into", "currency_into", "scale");
        String amountField = parameters.string("amount");
        String currencyField = parameters.string("currency");
        String target = parameters.string("target").toUpperCase(Locale.ROOT);
        String into = parameters.string("into", amountField);
        String currencyInto = parameters.string("currency_into", null);
        long scale = parameters.integer("scale", 2);
        if (scale < 0 || scale > 18) {
            throw new ParameterException("scale", "'scale' must be between 0 and 18, got " + scale);
        }
        Map<String, BigDecimal> rates = new HashMap<>();
        parameters.decimalMap("rates").forEach((code, rate) -> {
            if (rate.signum() <= 0) {
                throw new ParameterException("rates", "'rates." + code + "' must be greater than 0");
            }
            rates.put(code.toUpperCase(Locale.ROOT), rate);
        });
        rates.putIfAbsent(target, BigDecimal.ONE);
        int digits = (int) scale;
        return (record, out) -> {
            BigDecimal amount = record.getDecimal(amountField);
            if (amount != null) {
                String currency = record.getString(currencyField);
                BigDecimal rate = currency == null ? null : rates.get(currency.strip().toUpperCase(Locale.ROOT));
                if (rate == null) {
                    throw new IllegalArgumentException("no rate for " + currencyField + " '" + currency + "' to " + target);
                }
                record.set(into, amount.multiply(rate).setScale(digits, RoundingMode.HALF_EVEN));
                if (currencyInto != null) {
                    record.set(currencyInto, target);
                }
            }
            out.emit(record);
        };
    }
}

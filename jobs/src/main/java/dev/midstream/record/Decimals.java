package dev.midstream.record;

import java.math.BigDecimal;

/** Decimal arithmetic that a record's hot paths need without a {@code BigInteger} per value. */
public final class Decimals {
    /** The most digits {@link #unscaledLong} takes: every such unscaled value fits a long. */
    public static final int LONG_PRECISION = 18;

    private Decimals() {}

    /**
     * {@code d.unscaledValue().longValue()} for a decimal of at most {@link #LONG_PRECISION} digits, without building
     * the {@code BigInteger} ({@code unscaledValue()} allocates one for a decimal held compactly, as most are).
     */
    public static long unscaledLong(BigDecimal d) {
        return d.scaleByPowerOfTen(d.scale()).longValueExact();
    }
}

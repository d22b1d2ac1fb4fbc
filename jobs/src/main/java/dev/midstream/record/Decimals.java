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

    /**
     * Whether {@code value} has a non-zero digit after {@code scale} decimal places: {@code 12.500} has none beyond 3,
     * {@code 12.5005} has. Trailing zeros are stripped only when the scale could be too big, since stripping only
     * lowers a scale and most values need none.
     */
    public static boolean hasPlacesBeyond(BigDecimal value, int scale) {
        return value.scale() > scale && value.stripTrailingZeros().scale() > scale;
    }
}

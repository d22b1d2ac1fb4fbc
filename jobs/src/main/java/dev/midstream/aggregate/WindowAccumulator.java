package dev.midstream.aggregate;

import java.math.BigDecimal;

/** One window's running aggregate for one group. A POJO, so its state schema can gain fields. */
public class WindowAccumulator {
    public long records;
    public BigDecimal sum = BigDecimal.ZERO;
    public long distinct;

    public WindowAccumulator() {}
}

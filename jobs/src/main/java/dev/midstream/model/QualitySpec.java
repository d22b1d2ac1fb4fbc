package dev.midstream.model;

import java.io.Serializable;
import java.time.Duration;

/**
 * What a data set is expected to look like ({@code quality:} in a pipeline file), checked by {@code midstream
 * report}: the share of records rejected, how long since rows were last written, and how many records an hour at
 * least. Each threshold is optional (null); a warning makes the report exit 1, an error 2.
 */
public record QualitySpec(Double rejectedRatioWarn, Double rejectedRatioError, Duration freshnessWarn,
        Duration freshnessError, Long minRecordsPerHour) implements Serializable {
    public static final QualitySpec NONE = new QualitySpec(null, null, null, null, null);
}

package dev.midstream.cleanse;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.ZoneId;

/**
 * What the validator needs from configuration.
 *
 * @param maxRecordBytes records larger than this are rejected before parsing
 * @param maxAmount the largest amount accepted, in the currency's major unit
 * @param localTimeZone the zone of event times that carry no offset
 */
public record ValidationSettings(int maxRecordBytes, BigDecimal maxAmount, ZoneId localTimeZone)
        implements Serializable {}

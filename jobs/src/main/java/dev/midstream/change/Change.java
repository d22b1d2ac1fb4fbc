package dev.midstream.change;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One row change read from an envelope: the row (after an upsert, before a delete) in plain JSON values, ready for
 * the pipeline's schema, and its position in the source database's log, compared as (major, minor).
 */
public record Change(boolean delete, JsonNode row, long positionMajor, long positionMinor) {}

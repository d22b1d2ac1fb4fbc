package dev.midstream.testkit.orders;

/** What the cleanse job must do with a generated event. */
public enum Outcome {
    /** A new order or a newer version: reaches the table. */
    WRITTEN,
    /** The same version again: deduplicated. */
    DUPLICATE,
    /** An older version after a newer one: deduplicated. */
    STALE,
    /** A dead letter with the expected stage and rule. */
    REJECTED
}

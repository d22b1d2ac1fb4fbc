package dev.midstream.options;

import dev.midstream.deadletter.PayloadPolicy;

import java.io.Serializable;
import java.time.Duration;

/**
 * What every dead letter of the job keeps of its payload (at most {@code maxPayloadBytes}, under {@code payload}'s
 * policy), and how dead letters are batched into their tables.
 */
public record DeadLetterOptions(int maxPayloadBytes, PayloadPolicy payload, int batchSize, Duration batchInterval)
        implements Serializable {}

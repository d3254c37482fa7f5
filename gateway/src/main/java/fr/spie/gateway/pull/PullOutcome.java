package fr.spie.gateway.pull;

import java.util.UUID;

/**
 * What one pull gave for one record type.
 *
 * @param recordType the SPIE record type read
 * @param status     ACCEPTED (a new exchange), UNCHANGED (the same record was already pulled: its exchange),
 *                   NONE (France Travail has nothing of that type for the person), REJECTED (the record read is
 *                   not a valid SPIE record: nothing was sent), FAILED (France Travail answered with an error)
 * @param exchangeId the exchange carrying the record, when ACCEPTED or UNCHANGED
 * @param detail     an explanation, never personal data
 */
public record PullOutcome(String recordType, Status status, UUID exchangeId, String detail) {
    public enum Status { ACCEPTED, UNCHANGED, NONE, REJECTED, FAILED }
}

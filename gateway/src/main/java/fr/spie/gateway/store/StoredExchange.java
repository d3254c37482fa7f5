package fr.spie.gateway.store;

import java.time.Instant;
import java.util.UUID;

/** The facts of an accepted exchange (no personal data: the person as pseudonym, the content as digests). */
public record StoredExchange(UUID exchangeId, String sourcePartner, String recordType, String schemaVersion,
                             String purpose, String legalBasisType, String contentDigest, String payloadDigest,
                             String subjectPseudonym, String configVersion, Instant receivedAt) {
}

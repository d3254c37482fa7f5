package fr.spie.gateway.audit;

/** What happened to an exchange, in the order they usually happen. */
public enum AuditEventType {
    /** A partner's envelope passed authentication and validation and is durably stored. */
    RECEIVED,
    /** A submission was refused (bad input, credential, permission, conflict); nothing else happened. */
    REJECTED,
    /** A route releases the exchange to a recipient; it is queued for delivery. */
    ROUTED,
    /** A route matched but policy refused the recipient (wrong purpose or legal basis, later consent). */
    BLOCKED,
    /** One delivery attempt starts. */
    DELIVERY_ATTEMPTED,
    /** The recipient acknowledged the delivery. */
    DELIVERED,
    /** One delivery attempt failed; another follows unless the attempts are used up. */
    DELIVERY_FAILED,
    /** The attempts are used up (or the recipient refused the record for good): the message is in the dead-letter queue. */
    DEAD_LETTERED,
    /** A person's consent was registered (API or consent record); subject as pseudonym, the receipt in the detail. */
    CONSENT_GIVEN,
    /** A person's consent was withdrawn: from now on, deliveries that rest on it are blocked. */
    CONSENT_WITHDRAWN,
    /** A new routing configuration is in force (hot reload); its version is the event's config version. */
    CONFIG_RELOADED,
    /**
     * The gateway started with a configuration: its version, size, and whether it differs from the version of the
     * trail's latest event (a restart with other files or placeholder values changes the rules without a reload).
     */
    CONFIG_LOADED,
    /** An edited routing configuration was refused; the one in force stays. */
    CONFIG_RELOAD_REFUSED,
    /** The envelope copy of a settled exchange was deleted at the end of its retention; its digest stays. */
    PAYLOAD_DELETED,
    /** A recipient had the gateway read a person's record from a partner's API (a pull); the outcome in the detail. */
    PULLED,
    /** The recipient acknowledged its delivery through the API (its quoted body digest, if any, matched). */
    DELIVERY_ACKNOWLEDGED,
    /** A partner's webhook with a valid signature was received and recorded (digest, model and event only). */
    WEBHOOK_RECEIVED,
    /** A partner's webhook was refused: missing or wrong signature, or no webhook configured for it. */
    WEBHOOK_REJECTED,
    /** An admin replayed a dead letter: it is queued again for its recipient, its attempts counted afresh. */
    DEAD_LETTER_REPLAYED,
    /** An admin asked to replay a dead letter and the gateway refused (policy, consent, envelope, copy deleted). */
    DEAD_LETTER_REPLAY_REFUSED,
    /** An admin discarded a dead letter, with a reason: the recipient never gets it. */
    DEAD_LETTER_DISCARDED,
    /**
     * An admin queued again the pending deliveries of a recipient (or of all) whose tasks the broker may have lost (a
     * database restored without the broker's journal): how many, and the admin's reason.
     */
    DELIVERIES_REQUEUED,
    /**
     * A person's access report was produced through the API: who asked (actor), for which person (pseudonym of the
     * strongest key given), by which kinds of key and how many deliveries it told of; never the identity.
     */
    PERSON_REPORT_PRODUCED,
    /**
     * A partner's file was received and stored (upload or inbox drop): the partner, the file's SHA-256 as digest, its
     * id, size, format and channel; a duplicate of an earlier file says so. Never its name (it may name someone).
     */
    FILE_RECEIVED,
    /**
     * The ledger continues from a database that holds fewer entries than the gateway had written or signed (restored
     * from an older backup), as the operator accepted with {@code spie.ledger.accept-rewind-to}: how many entries the
     * database holds, how many leaves and which signed head were lost, and where the lost leaves are kept. Later heads
     * fork from the lost ones at that size: this event is the explanation an auditor finds for it.
     */
    LEDGER_REWOUND,
    /** A file was read to its end: its counts (records, accepted, unchanged, rejected). */
    FILE_PROCESSED,
    /** A file could not be read (truncated, wrong format or encoding, refused name, too large...): the reason. */
    FILE_QUARANTINED,
    /**
     * A finished file's bytes (the partner's records as sent) were deleted from its file store at the end of
     * {@code spie.retention.files}: the partner, the file's SHA-256 as digest, its id and status in the detail.
     */
    FILE_BYTES_DELETED,
    /**
     * The subject of an ended consent as it was given (the identity kept for withdrawal notices) was deleted at the
     * end of {@code spie.retention.consent-subjects}: the person as pseudonym, the consent id in the detail.
     */
    CONSENT_SUBJECT_DELETED
}

package fr.spie.gateway.store;

/** Where the delivery of one exchange to one recipient stands. */
public enum DeliveryStatus {
    /** Queued, not yet acknowledged by the recipient. */
    PENDING,
    /** Acknowledged by the recipient. */
    DELIVERED,
    /** The last attempt failed; another is scheduled. */
    FAILED,
    /** Attempts used up or refused for good: a dead letter, until an admin replays or discards it. */
    DEAD_LETTERED,
    /** Routing policy refused this recipient: it gets nothing. */
    BLOCKED,
    /** A dead letter an admin gave up, with a reason: the recipient never gets it. */
    DISCARDED;

    public boolean terminal() {
        return this == DELIVERED || this == DEAD_LETTERED || this == BLOCKED || this == DISCARDED;
    }
}

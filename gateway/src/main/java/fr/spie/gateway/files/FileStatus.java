package fr.spie.gateway.files;

/** Where a received file is. RECEIVED and PROCESSING files are resumed at start-up. */
public enum FileStatus {
    /** Stored with its digest, waiting for a worker. */
    RECEIVED,
    /** Being validated and read; progress is reported. */
    PROCESSING,
    /** Read to the end: every record is accepted, unchanged or rejected. */
    DONE,
    /** Unreadable as a whole (or not acceptable): nothing was submitted, the report says why. */
    QUARANTINED,
    /** The same bytes were already received from the same partner: nothing is re-emitted. */
    DUPLICATE;

    public boolean finished() {
        return this == DONE || this == QUARANTINED || this == DUPLICATE;
    }
}

package fr.spie.connector;

/** Receives, in input order, what an inbound connector reads: mapped records and rejected native records. */
public interface RecordSink {
    void accept(SpieRecord record);

    void reject(RecordRejection rejection);
}

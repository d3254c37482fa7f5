package fr.spie.connector.caf;

import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import java.util.ArrayList;
import java.util.List;

/** Keeps what the connector emits, in order. */
final class CollectingSink implements RecordSink {
    final List<SpieRecord> records = new ArrayList<>();
    final List<RecordRejection> rejections = new ArrayList<>();

    @Override
    public void accept(SpieRecord record) {
        records.add(record);
    }

    @Override
    public void reject(RecordRejection rejection) {
        rejections.add(rejection);
    }
}

package fr.spie.gateway.files;

import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.gateway.config.FileChannel;
import fr.spie.gateway.intake.IntakeService;
import fr.spie.gateway.privacy.CanonicalJson;
import fr.spie.gateway.privacy.Pseudonymizer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reading side, on the file worker's thread: maps each record to its envelope, has the intake check it
 * (schema, partner, routing — the CPU-heavy part) and hands batches of {@code spie.files.batch-size} entries (or what
 * came in {@value #FLUSH_EVERY_MILLIS} ms) to the {@link BatchWriter}, which stores them meanwhile.
 */
final class SubmittingSink implements RecordSink {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final long FLUSH_EVERY_MILLIS = 500;

    private final ReceivedFile file;
    private final BatchWriter writer;
    private final IntakeService intake;
    private final Pseudonymizer pseudonymizer;
    private final int batchSize;
    private final FileRecordEnvelopes envelopes;
    private List<BatchWriter.Entry> batch;
    private final FileRecordIds ids;
    private long index;
    private long lastHandOff = System.nanoTime();

    SubmittingSink(ReceivedFile file, FileChannel channel, BatchWriter writer, IntakeService intake,
                   Pseudonymizer pseudonymizer, int batchSize) {
        this.file = file;
        this.batchSize = batchSize;
        this.batch = new ArrayList<>(batchSize);
        this.ids = FileRecordIds.of(file.partner(), file.digest());
        this.writer = writer;
        this.intake = intake;
        this.pseudonymizer = pseudonymizer;
        this.envelopes = new FileRecordEnvelopes(file, channel);
    }

    @Override
    public void accept(SpieRecord record) {
        UUID exchangeId = ids.at(index++);
        ObjectNode content = JSON.objectNode();
        content.set("subject", record.subject());
        content.set("payload", record.payload());
        String contentDigest = CanonicalJson.digest(content);
        String keyHash = record.changeKey() == null || record.changeKey().isBlank() ? null
                : pseudonymizer.pseudonym("spie-change-key\n" + record.changeKey());
        ObjectNode envelope = envelopes.of(exchangeId, record);
        IntakeService.CheckedItem checked = intake.check(file.partner(),
                new IntakeService.BatchItem(envelope, CanonicalJson.bytes(envelope), true));
        add(new BatchWriter.Entry(record, checked, envelope, keyHash, contentDigest, exchangeId, null));
    }

    @Override
    public void reject(RecordRejection rejection) {
        add(new BatchWriter.Entry(null, null, null, null, null, null, rejection));
    }

    private void add(BatchWriter.Entry entry) {
        batch.add(entry);
        if (batch.size() >= batchSize || System.nanoTime() - lastHandOff > FLUSH_EVERY_MILLIS * 1_000_000L) {
            handOff();
        }
    }

    /**
     * Hands the entries gathered so far to the writer (waits while it is {@value BatchWriter#BATCHES_IN_FLIGHT}
     * behind).
     */
    void handOff() {
        if (!batch.isEmpty()) {
            writer.write(batch);
            batch = new ArrayList<>(batchSize);
        }
        lastHandOff = System.nanoTime();
    }
}

package fr.spie.gateway.files;

import fr.spie.connector.InboundConnector;
import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.UnreadableInputException;
import fr.spie.gateway.config.FileChannel;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.intake.IntakeService;
import fr.spie.gateway.privacy.CanonicalJson;
import fr.spie.gateway.privacy.Digests;
import fr.spie.gateway.privacy.Pseudonymizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one stored file with its partner's connector and submits each record to the intake, as if the partner had
 * posted it: same validation, routing, ledger and delivery.
 * <p>
 * With {@code validateFirst} (the default) the file is first read without submitting anything: a file that cannot be
 * read to the end (truncated, wrong encoding, DTD/XXE, count mismatch) is quarantined with <em>nothing</em> emitted.
 * The file in the store never changes (it is written once, named by id, with its digest), so the second read sees
 * the same bytes. Exchange ids are derived from the partner, the file digest and the record's index, and
 * {@code occurredAt} is the file's reception time: reading the same file again after a stop gives the very same
 * envelopes, which the intake answers as replays.
 */
final class FileProcessor {
    private static final Logger log = LoggerFactory.getLogger(FileProcessor.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int BATCHES_IN_FLIGHT = 2;
    private static final long FLUSH_EVERY_MILLIS = 500;

    private final ReceivedFileStore store;
    private final FileStorage storage;
    private final IntakeService intake;
    private final Pseudonymizer pseudonymizer;
    private final boolean validateFirst;
    private final int batchSize;

    FileProcessor(ReceivedFileStore store, FileStorage storage, IntakeService intake, Pseudonymizer pseudonymizer,
                  boolean validateFirst, int batchSize) {
        this.batchSize = batchSize;
        this.store = store;
        this.storage = storage;
        this.intake = intake;
        this.pseudonymizer = pseudonymizer;
        this.validateFirst = validateFirst;
    }

    /** Processes the file to DONE or QUARANTINED. Unexpected failures (database...) propagate: the file is retried. */
    void process(ReceivedFile file, Optional<Partner> partner) throws IOException {
        UUID id = file.fileId();
        store.start(id, Instant.now());
        FileChannel channel = partner.map(Partner::files).orElse(null);
        if (channel == null) {
            quarantine(id, "partner '" + file.partner() + "' has no 'files' block in partners.yaml any more", null, 0);
            return;
        }
        if (!channel.format().equals(file.format())) {
            log.info("file {}: the format of partner {} changed from {} to {} since reception; reading as {}", id,
                    file.partner(), file.format(), channel.format(), channel.format());
        }
        InboundConnector connector;
        try {
            connector = FileConnectors.forChannel(file.partner(), channel);
        } catch (RuntimeException e) {
            quarantine(id, "the file channel of partner '" + file.partner() + "' is misconfigured: " + e.getMessage(),
                    null, 0);
            return;
        }
        Path path = storage.path(id);
        if (!Files.isRegularFile(path)) {
            quarantine(id, "the stored file is missing from " + storage.root(), null, 0);
            return;
        }
        if (validateFirst) {
            CountingSink counting = new CountingSink();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 * 1024)) {
                connector.read(in, counting);
            } catch (UnreadableInputException e) {
                quarantine(id, e.getMessage(), e.location(), 0);
                return;
            } catch (RuntimeException e) {
                quarantine(id, "the connector failed: " + e.getClass().getSimpleName(), null, 0);
                log.warn("file {}: connector {} failed while validating", id, connector.format(), e);
                return;
            }
            store.total(id, counting.records + counting.rejected);
        }
        ReadSummary summary;
        try (BatchWriter writer = new BatchWriter(file)) {
            SubmittingSink sink = new SubmittingSink(file, channel, writer);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 * 1024)) {
                summary = connector.read(in, sink);
            } catch (UnreadableInputException e) {
                sink.handOff();
                writer.finish();
                quarantine(id, e.getMessage(), e.location(), writer.accepted);
                return;
            }
            sink.handOff();
            writer.finish();
            TreeMap<String, Object> facts = new TreeMap<>(summary.facts());
            facts.put("nativeRecords", summary.nativeRecords());
            store.done(id, JSON.writeValueAsString(facts), Instant.now());
            log.info("file {} from {} done: {} accepted, {} unchanged, {} rejected", id, file.partner(),
                    writer.accepted, writer.unchanged, writer.rejected);
        }
    }

    private void quarantine(UUID id, String reason, String location, long alreadyAccepted) {
        String full = alreadyAccepted == 0 ? reason : reason + " (" + alreadyAccepted
                + " record(s) read before this point had already been accepted and are not withdrawn)";
        store.quarantine(id, full, location, Instant.now());
        log.warn("file {} quarantined at {}: {}", id, location, full);
    }

    /**
     * A deterministic exchange id (RFC 9562 version 8 UUID) in which the record's index follows a prefix of the file,
     * so that the ids of one file are consecutive: the records of a file are appended to the database's primary-key
     * indexes in one place instead of at random (SHA-256 ids made every insert touch another index page). Layout:
     * 48 bits of SHA-256(partner, file digest), version 8, 42 bits of record index, variant, 32 more bits of that
     * hash (so that two files that share the 48-bit prefix still get different ids).
     */
    static UUID exchangeId(String partner, String fileDigest, long index) {
        return RecordIds.of(partner, fileDigest).at(index);
    }

    /** The exchange ids of one file's records ({@link #exchangeId}): the file's hash computed once, not per record. */
    record RecordIds(long prefix, long tail) {
        static RecordIds of(String partner, String fileDigest) {
            ByteBuffer h = ByteBuffer.wrap(Digests.sha256(("spie-file-record\n" + partner + "\n" + fileDigest)
                    .getBytes(StandardCharsets.UTF_8)));
            return new RecordIds(h.getLong(0) >>> 16, h.getInt(8) & 0xffff_ffffL); // 48 and 32 bits
        }

        UUID at(long index) {
            if (index < 0 || index >= 1L << 42) {
                throw new IllegalArgumentException("record index out of range: " + index);
            }
            long most = prefix << 16 | 0x8000L | (index >>> 30 & 0x0fff); // version 8, index bits 41..30
            long least = 0x8000_0000_0000_0000L | (index & 0x3fff_ffffL) << 32 | tail; // variant, index bits 29..0
            return new UUID(most, least);
        }
    }

    /** Counts without submitting: the validation pass. */
    private static final class CountingSink implements RecordSink {
        long records;
        long rejected;

        @Override
        public void accept(SpieRecord record) {
            records++;
        }

        @Override
        public void reject(RecordRejection rejection) {
            rejected++;
        }
    }

    /**
     * One entry of a batch, in file order: a record mapped and checked by the intake (validated and routed, nothing
     * stored yet), or a native record the connector rejected.
     */
    private record Entry(SpieRecord record, IntakeService.CheckedItem checked, ObjectNode envelope, String keyHash,
                         String contentDigest, UUID exchangeId, RecordRejection rejection) {
    }

    /**
     * The reading side, on the file worker's thread: maps each record to its envelope, has the intake check it
     * (schema, partner, routing — the CPU-heavy part) and hands batches of {@code spie.files.batch-size} entries (or what
     * came in {@value #FLUSH_EVERY_MILLIS} ms) to the {@link BatchWriter}, which stores them meanwhile.
     */
    private final class SubmittingSink implements RecordSink {
        private final ReceivedFile file;
        private final FileChannel channel;
        private final BatchWriter writer;
        private final String occurredAt;
        private List<Entry> batch = new ArrayList<>(batchSize);
        private final RecordIds ids;
        private long index;
        private long lastHandOff = System.nanoTime();

        SubmittingSink(ReceivedFile file, FileChannel channel, BatchWriter writer) {
            this.file = file;
            this.ids = RecordIds.of(file.partner(), file.digest());
            this.channel = channel;
            this.writer = writer;
            this.occurredAt = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    file.receivedAt().truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC));
        }

        @Override
        public void accept(SpieRecord record) {
            UUID exchangeId = ids.at(index++);
            ObjectNode content = JSON.createObjectNode();
            content.set("subject", record.subject());
            content.set("payload", record.payload());
            String contentDigest = CanonicalJson.digest(content);
            String keyHash = record.changeKey() == null || record.changeKey().isBlank() ? null
                    : pseudonymizer.pseudonym("spie-change-key\n" + record.changeKey());
            ObjectNode envelope = envelope(exchangeId, record);
            IntakeService.CheckedItem checked = intake.check(file.partner(),
                    new IntakeService.BatchItem(envelope, CanonicalJson.bytes(envelope), true));
            add(new Entry(record, checked, envelope, keyHash, contentDigest, exchangeId, null));
        }

        @Override
        public void reject(RecordRejection rejection) {
            add(new Entry(null, null, null, null, null, null, rejection));
        }

        private void add(Entry entry) {
            batch.add(entry);
            if (batch.size() >= batchSize || System.nanoTime() - lastHandOff > FLUSH_EVERY_MILLIS * 1_000_000L) {
                handOff();
            }
        }

        /** Hands the entries gathered so far to the writer (waits while it is {@value #BATCHES_IN_FLIGHT} behind). */
        void handOff() {
            if (!batch.isEmpty()) {
                writer.write(batch);
                batch = new ArrayList<>(batchSize);
            }
            lastHandOff = System.nanoTime();
        }

        private ObjectNode envelope(UUID exchangeId, SpieRecord record) {
            ObjectNode e = JSON.createObjectNode();
            e.put("exchangeId", exchangeId.toString());
            e.put("recordType", record.recordType());
            e.put("schemaVersion", "1.0");
            e.put("source", file.partner());
            e.put("occurredAt", occurredAt);
            e.put("purpose", channel.purpose());
            ObjectNode basis = e.putObject("legalBasis");
            basis.put("type", channel.legalBasis().type());
            basis.put("reference", channel.legalBasis().reference());
            e.set("subject", record.subject());
            e.set("payload", record.payload());
            return e;
        }
    }

    /**
     * The storing side, on a thread of its own, one batch at a time in file order: change detection (one query per
     * batch, after the previous batch's fingerprints are saved), then one transaction — one commit — for the changed
     * records (the intake's rows), the fingerprints of the accepted ones and the file's counts and rejections. At
     * most {@value #BATCHES_IN_FLIGHT} batches wait, so memory does not depend on the file's size. The first failure stops it: the reading side gets
     * it at its next hand-off (or at {@link #finish()}) and the file is retried, as when everything ran on one thread.
     */
    final class BatchWriter implements AutoCloseable {
        private final ReceivedFile file;
        private final ExecutorService thread;
        private final Semaphore slots = new Semaphore(BATCHES_IN_FLIGHT);
        private volatile Throwable failure;
        private volatile boolean aborted;
        private int rejectionSeq;
        volatile long accepted;
        volatile long unchanged;
        volatile long rejected;

        BatchWriter(ReceivedFile file) {
            this.file = file;
            String name = Thread.currentThread().getName() + "-store";
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }

        /** Queues a batch; throws the writer's failure if it already failed. */
        void write(List<Entry> entries) {
            rethrowFailure();
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the file's records were being stored", e);
            }
            thread.execute(() -> {
                try {
                    if (failure == null && !aborted) {
                        store(entries);
                    }
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    slots.release();
                }
            });
        }

        /** Waits until every queued batch is stored; throws the writer's failure if any. */
        void finish() {
            thread.shutdown();
            try {
                while (!thread.awaitTermination(1, TimeUnit.SECONDS)) {
                    log.debug("file {}: waiting for the last batches to be stored", file.fileId());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the file's records were being stored", e);
            }
            rethrowFailure();
        }

        private void rethrowFailure() {
            Throwable t = failure;
            if (t instanceof RuntimeException r) {
                throw r;
            } else if (t instanceof Error e) {
                throw e;
            } else if (t != null) {
                throw new IllegalStateException(t);
            }
        }

        /**
         * Stops the writer: batches not yet started are dropped, the one being stored is let finish (never
         * interrupted: an interrupt inside the database driver could close its file).
         */
        @Override
        public void close() {
            aborted = true;
            thread.shutdown();
            boolean interrupted = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!thread.isTerminated() && System.nanoTime() < deadline) {
                try {
                    thread.awaitTermination(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void store(List<Entry> entries) {
            List<ReceivedFileStore.ChangeKey> keys = new ArrayList<>();
            for (Entry e : entries) {
                if (e.keyHash() != null) {
                    keys.add(new ReceivedFileStore.ChangeKey(e.keyHash(), e.record().recordType()));
                }
            }
            Map<ReceivedFileStore.ChangeKey, String> fingerprints = store.fingerprints(file.partner(), keys);
            boolean[] same = new boolean[entries.size()];
            List<IntakeService.CheckedItem> changed = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.record() == null) {
                    continue;
                }
                same[i] = e.keyHash() != null && e.contentDigest().equals(
                        fingerprints.get(new ReceivedFileStore.ChangeKey(e.keyHash(), e.record().recordType())));
                if (!same[i]) {
                    changed.add(e.checked());
                }
            }
            // the batch's fingerprints and the file's counts are written in the batch's own transaction: one commit
            BatchResult[] result = new BatchResult[1];
            IntakeService.AlongsideBatch alongside = outcomes -> {
                result[0] = result(entries, same, outcomes, fingerprints);
                store.writeFingerprints(result[0].fingerprints());
                store.progress(file.fileId(), result[0].counts(), result[0].rejections(), Instant.now());
            };
            if (changed.isEmpty()) {
                store.inTransaction(() -> alongside.write(List.of()));
            } else {
                intake.storeChecked(file.partner(), changed, alongside);
            }
            accepted = result[0].counts().accepted();
            unchanged = result[0].counts().unchanged();
            rejected = result[0].counts().rejected();
            rejectionSeq += result[0].rejections().size();
        }

        /** What a batch adds to the file, given the intake's outcomes of its changed records (in order). */
        private record BatchResult(ReceivedFileStore.Counts counts, List<ReceivedFileStore.Fingerprint> fingerprints,
                                   List<ReceivedFileStore.Rejection> rejections) {
        }

        /** Computes a batch's result from the counts so far; changes nothing (it may be computed twice). */
        private BatchResult result(List<Entry> entries, boolean[] same, List<IntakeService.BatchOutcome> outcomes,
                                   Map<ReceivedFileStore.ChangeKey, String> fingerprints) {
            long acceptedNow = accepted;
            long unchangedNow = unchanged;
            long rejectedNow = rejected;
            List<ReceivedFileStore.Fingerprint> saved = new ArrayList<>();
            List<ReceivedFileStore.Rejection> rejections = new ArrayList<>();
            Instant now = Instant.now();
            int k = 0;
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                if (e.record() == null) {
                    rejectedNow++;
                    addRejection(rejections, e.rejection().location(), e.rejection().reason());
                } else if (same[i]) {
                    unchangedNow++;
                } else {
                    IntakeService.BatchOutcome outcome = outcomes.get(k++);
                    if (outcome.isAccepted()) {
                        acceptedNow++;
                        if (e.keyHash() != null) {
                            ReceivedFileStore.ChangeKey key = new ReceivedFileStore.ChangeKey(e.keyHash(),
                                    e.record().recordType());
                            saved.add(new ReceivedFileStore.Fingerprint(file.partner(), e.keyHash(),
                                    e.record().recordType(), e.contentDigest(), e.exchangeId(), now,
                                    fingerprints.containsKey(key)));
                        }
                    } else {
                        rejectedNow++;
                        addRejection(rejections, e.record().location(),
                                e.record().recordType() + ": " + reason(outcome.rejection(), e.envelope()));
                    }
                }
            }
            return new BatchResult(new ReceivedFileStore.Counts(acceptedNow + unchangedNow + rejectedNow, acceptedNow,
                    unchangedNow, rejectedNow), saved, rejections);
        }

        private void addRejection(List<ReceivedFileStore.Rejection> rejections, String location, String reason) {
            int seq = rejectionSeq + rejections.size();
            if (seq < ReceivedFileStore.MAX_REJECTIONS_KEPT) {
                rejections.add(new ReceivedFileStore.Rejection(seq, location == null ? "" : location,
                        reason == null ? "" : reason));
            }
        }
    }

    /**
     * Why the intake refused a record: the problem type, its detail and the JSON Pointers, with each violation's
     * message only when it does not repeat the submitted value (a file report never holds personal data).
     */
    static String reason(IntakeRejection r, JsonNode envelope) {
        StringBuilder sb = new StringBuilder(r.problem());
        if (!"schema-violation".equals(r.problem()) && r.getMessage() != null) {
            sb.append(": ").append(r.getMessage());
        }
        if (!r.errors().isEmpty()) {
            sb.append(r.errors().stream().map(e -> {
                JsonNode value = valueAt(envelope, e.pointer());
                boolean echoes = value.isValueNode() && !value.asString().isEmpty()
                        && e.detail() != null && e.detail().contains(value.asString());
                return e.pointer() + (echoes || e.detail() == null ? "" : " " + e.detail());
            }).collect(Collectors.joining("; ", " at ", "")));
        }
        return sb.toString();
    }

    private static JsonNode valueAt(JsonNode envelope, String pointer) {
        try {
            return envelope.at(pointer);
        } catch (IllegalArgumentException e) {
            return tools.jackson.databind.node.MissingNode.getInstance();
        }
    }
}

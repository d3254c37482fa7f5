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
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
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
    private static final int FLUSH_EVERY_RECORDS = 500;
    private static final int SUBMIT_BATCH = 250;
    private static final long FLUSH_EVERY_MILLIS = 500;

    private final ReceivedFileStore store;
    private final FileStorage storage;
    private final IntakeService intake;
    private final Pseudonymizer pseudonymizer;
    private final boolean validateFirst;

    FileProcessor(ReceivedFileStore store, FileStorage storage, IntakeService intake, Pseudonymizer pseudonymizer,
                  boolean validateFirst) {
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
        SubmittingSink sink = new SubmittingSink(file, channel);
        ReadSummary summary;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 * 1024)) {
            summary = connector.read(in, sink);
        } catch (UnreadableInputException e) {
            sink.flush();
            quarantine(id, e.getMessage(), e.location(), sink.accepted);
            return;
        }
        sink.flush();
        TreeMap<String, Object> facts = new TreeMap<>(summary.facts());
        facts.put("nativeRecords", summary.nativeRecords());
        store.done(id, JSON.writeValueAsString(facts), Instant.now());
        log.info("file {} from {} done: {} accepted, {} unchanged, {} rejected", id, file.partner(), sink.accepted,
                sink.unchanged, sink.rejected);
    }

    private void quarantine(UUID id, String reason, String location, long alreadyAccepted) {
        String full = alreadyAccepted == 0 ? reason : reason + " (" + alreadyAccepted
                + " record(s) read before this point had already been accepted and are not withdrawn)";
        store.quarantine(id, full, location, Instant.now());
        log.warn("file {} quarantined at {}: {}", id, location, full);
    }

    /**
     * A deterministic exchange id: SHA-256 over partner, file digest and record index, as an RFC 9562 version 8 UUID.
     */
    static UUID exchangeId(String partner, String fileDigest, long index) {
        byte[] h = Digests.sha256(("spie-file-record\n" + partner + "\n" + fileDigest + "\n" + index)
                .getBytes(StandardCharsets.UTF_8));
        h[6] = (byte) ((h[6] & 0x0f) | 0x80);
        h[8] = (byte) ((h[8] & 0x3f) | 0x80);
        ByteBuffer b = ByteBuffer.wrap(h);
        return new UUID(b.getLong(), b.getLong());
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

    /** A mapped record waiting for its intake batch. */
    private record Pending(SpieRecord record, ObjectNode envelope, String keyHash, String contentDigest,
                           UUID exchangeId) {
    }

    /**
     * Submits records in intake batches of {@value #SUBMIT_BATCH}, counts, and reports progress and rejections every
     * few hundred records.
     */
    private final class SubmittingSink implements RecordSink {
        private final ReceivedFile file;
        private final FileChannel channel;
        private final String occurredAt;
        private final List<ReceivedFileStore.Rejection> pending = new ArrayList<>();
        private final List<Pending> batch = new ArrayList<>();
        private long index;
        private int rejectionSeq;
        long accepted;
        long unchanged;
        long rejected;
        private long sinceFlush;
        private long lastFlush = System.nanoTime();

        SubmittingSink(ReceivedFile file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
            this.occurredAt = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    file.receivedAt().truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC));
        }

        @Override
        public void accept(SpieRecord record) {
            UUID exchangeId = exchangeId(file.partner(), file.digest(), index++);
            ObjectNode content = JSON.createObjectNode();
            content.set("subject", record.subject());
            content.set("payload", record.payload());
            String contentDigest = CanonicalJson.digest(content);
            String keyHash = record.changeKey() == null || record.changeKey().isBlank() ? null
                    : pseudonymizer.pseudonym("spie-change-key\n" + record.changeKey());
            if (keyHash != null && store.fingerprint(file.partner(), keyHash, record.recordType())
                    .filter(contentDigest::equals).isPresent()) {
                unchanged++;
                counted();
                return;
            }
            ObjectNode envelope = envelope(exchangeId, record);
            batch.add(new Pending(record, envelope, keyHash, contentDigest, exchangeId));
            if (batch.size() >= SUBMIT_BATCH) {
                submitPending();
            }
            counted();
        }

        /** Submits the records gathered so far in one intake batch (one database transaction). */
        private void submitPending() {
            if (batch.isEmpty()) {
                return;
            }
            List<IntakeService.BatchItem> items = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                items.add(new IntakeService.BatchItem(p.envelope(), JSON.writeValueAsBytes(p.envelope())));
            }
            List<IntakeService.BatchOutcome> outcomes = intake.submitBatch(file.partner(), items);
            List<ReceivedFileStore.Fingerprint> fingerprints = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = 0; i < outcomes.size(); i++) {
                Pending p = batch.get(i);
                IntakeService.BatchOutcome outcome = outcomes.get(i);
                if (outcome.isAccepted()) {
                    accepted++;
                    if (p.keyHash() != null) {
                        fingerprints.add(new ReceivedFileStore.Fingerprint(file.partner(), p.keyHash(),
                                p.record().recordType(), p.contentDigest(), p.exchangeId(), now));
                    }
                } else {
                    rejected++;
                    addRejection(p.record().location(),
                            p.record().recordType() + ": " + reason(outcome.rejection(), p.envelope()));
                }
            }
            store.saveFingerprints(fingerprints);
            batch.clear();
        }

        @Override
        public void reject(RecordRejection rejection) {
            rejected++;
            addRejection(rejection.location(), rejection.reason());
            counted();
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

        private void addRejection(String location, String reason) {
            if (rejectionSeq < ReceivedFileStore.MAX_REJECTIONS_KEPT) {
                pending.add(new ReceivedFileStore.Rejection(rejectionSeq++, location == null ? "" : location,
                        reason == null ? "" : reason));
            }
        }

        private void counted() {
            if (++sinceFlush >= FLUSH_EVERY_RECORDS
                    || System.nanoTime() - lastFlush > FLUSH_EVERY_MILLIS * 1_000_000L) {
                flush();
            }
        }

        void flush() {
            submitPending();
            store.progress(file.fileId(), new ReceivedFileStore.Counts(accepted + unchanged + rejected, accepted,
                    unchanged, rejected), List.copyOf(pending), Instant.now());
            pending.clear();
            sinceFlush = 0;
            lastFlush = System.nanoTime();
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

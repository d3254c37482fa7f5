package fr.spie.gateway.files;

import fr.spie.connector.InboundConnector;
import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.UnreadableInputException;
import fr.spie.gateway.config.FileChannel;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.intake.IntakeService;
import fr.spie.gateway.privacy.Pseudonymizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

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

    private final ReceivedFileStore store;
    private final FileStorage storage;
    private final IntakeService intake;
    private final Pseudonymizer pseudonymizer;
    private final boolean validateFirst;
    private final int batchSize;
    private final String instance;

    /** @param instance this instance, the holder of the lease of the files it processes: only it writes to them */
    FileProcessor(ReceivedFileStore store, FileStorage storage, IntakeService intake, Pseudonymizer pseudonymizer,
                  boolean validateFirst, int batchSize, String instance) {
        this.batchSize = batchSize;
        this.instance = instance;
        this.store = store;
        this.storage = storage;
        this.intake = intake;
        this.pseudonymizer = pseudonymizer;
        this.validateFirst = validateFirst;
    }

    /**
     * Processes the file to DONE or QUARANTINED, by the holder of its lease. Unexpected failures (database...)
     * propagate: the file is retried; so does a {@link ReceivedFileStore.LeaseLostException} when another instance
     * took the lease over (nothing more is written to the file by this one).
     */
    void process(ReceivedFile file, Optional<Partner> partner) throws IOException {
        UUID id = file.fileId();
        store.start(id, instance, Instant.now());
        int attempt = file.attempts() + 1;
        log.info("file {} from {} ({} bytes, {}): processing, attempt {}{}", id, file.partner(), file.size(),
                file.format(), attempt, attempt == 1 ? "" : " (read again from the beginning after a stop or a"
                        + " failure: what an earlier attempt stored is not emitted again)");
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
        if (Files.size(path) == 0) {
            quarantine(id, "the file is empty (0 bytes)", null, 0);
            return;
        }
        Optional<String> compressed = CompressedFiles.kind(path);
        if (compressed.isPresent()) {
            quarantine(id, "the file is compressed (" + compressed.get() + "): the gateway reads uncompressed files"
                    + " only, send it uncompressed", null, 0);
            return;
        }
        Long recordsTotal = null;
        if (validateFirst) {
            CountingSink counting = new CountingSink();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 64 * 1024)) {
                connector.read(in, counting);
            } catch (UnreadableInputException e) {
                quarantine(id, e.getMessage(), e.location(), 0);
                return;
            } catch (RuntimeException e) {
                quarantine(id, "the connector failed: " + e.getClass().getSimpleName(), null, 0);
                log.warn("file {}: connector {} failed while validating", id, connector.format(),
                        fr.spie.gateway.observability.LogSafeThrowable.of(e));
                return;
            }
            recordsTotal = counting.records + counting.rejected;
            store.total(id, instance, recordsTotal);
        }
        ReadSummary summary;
        try (BatchWriter writer = new BatchWriter(store, intake, file, instance, recordsTotal)) {
            SubmittingSink sink = new SubmittingSink(file, channel, writer, intake, pseudonymizer, batchSize);
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
            store.done(id, instance, JSON.writeValueAsString(facts), Instant.now());
            log.info("file {} from {} done: {} accepted, {} unchanged, {} rejected", id, file.partner(),
                    writer.accepted, writer.unchanged, writer.rejected);
        }
    }

    /**
     * Reading the file was cut short by the gateway's stop (its worker interrupted): the file is not at fault and is
     * not quarantined; it is read again at the next start.
     */
    static final class ReadingStopped extends RuntimeException {
        ReadingStopped(UUID id) {
            super("reading of file " + id + " stopped with the gateway");
        }
    }

    private void quarantine(UUID id, String reason, String location, long alreadyAccepted) {
        if (Thread.currentThread().isInterrupted()) {
            // an interrupted read (ClosedByInterruptException) looks like a truncated or unreadable file
            throw new ReadingStopped(id);
        }
        String full = alreadyAccepted == 0 ? reason : reason + " (" + alreadyAccepted
                + " record(s) read before this point had already been accepted and are not withdrawn)";
        store.quarantine(id, instance, full, location, Instant.now());
        log.warn("file {} quarantined at {}: {}", id, location, full);
    }

    /** The exchange id of the record at {@code index} of a file: see {@link FileRecordIds}. */
    static UUID exchangeId(String partner, String fileDigest, long index) {
        return FileRecordIds.exchangeId(partner, fileDigest, index);
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
}

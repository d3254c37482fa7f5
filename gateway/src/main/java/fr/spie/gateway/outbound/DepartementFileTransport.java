package fr.spie.gateway.outbound;

import fr.spie.connector.SpieRecord;
import fr.spie.connector.departement.CsvExportWriter;
import fr.spie.connector.departement.FileMapping;
import fr.spie.connector.departement.IdentifierIssuers;
import fr.spie.gateway.config.TransportSettings;
import fr.spie.gateway.delivery.DeliveryFailure;
import fr.spie.gateway.delivery.DeliveryTask;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transport departement-file: one CSV export file per record in the partner's outbox folder, with the columns of a
 * département mapping read in reverse ({@link CsvExportWriter}: written hidden, then moved atomically, so a reader of
 * the outbox sees no file, then the complete file). The file is named from the idempotency key (or the exchange id),
 * so a redelivery finds the file it already wrote and writes no second one. An identifier column is written with an
 * identifier given without issuer or issued by the recipient (its departement-ids), never with another
 * organisation's: another département's id of the person would name someone else in the recipient's system.
 */
public final class DepartementFileTransport implements OutboundTransport {
    private static final Logger log = LoggerFactory.getLogger(DepartementFileTransport.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final String recipient;
    private final Path outbox;
    private final FileMapping mapping;
    /** The recipient issues its own departement-ids: another département's are not written in their column. */
    private final IdentifierIssuers issuers;
    private final String fileName;
    /** Writer per record type, or the reason the mapping cannot export that type. */
    private final Map<String, Object> writers = new ConcurrentHashMap<>();

    /**
     * @param dataDir the gateway's data directory, under which a relative outbox lies
     */
    public DepartementFileTransport(String recipient, TransportSettings.DepartementFile settings, Path dataDir) {
        this.recipient = recipient;
        Path configured = Path.of(settings.outbox());
        this.outbox = (configured.isAbsolute() ? configured : dataDir.resolve(configured)).toAbsolutePath()
                .normalize();
        this.mapping = settings.inlineMapping() != null ? FileMapping.fromMap(settings.inlineMapping())
                : FileMapping.builtin(settings.mappingName());
        this.fileName = settings.fileName();
        this.issuers = new IdentifierIssuers(recipient, Map.of());
    }

    @Override
    public String name() {
        return TransportSettings.DEPARTEMENT_FILE;
    }

    /** The outbox folder (absolute). */
    public Path outbox() {
        return outbox;
    }

    @Override
    public String deliver(DeliveryTask task, String envelope) {
        OutboundEnvelope record = OutboundEnvelope.parse(envelope);
        CsvExportWriter writer = writer(record.recordType());
        String name = fileName(task, record.recordType());
        outboxFolder();
        try {
            if (Files.exists(outbox.resolve(name))) {
                log.info("exchange {} to {}: {} is already in the outbox (redelivery), not written again",
                        task.exchange().exchangeId(), recipient, name);
                return "already in the outbox as " + name + " (an earlier attempt wrote it)";
            }
            writer.write(outbox, name, List.of(new SpieRecord(record.recordType(), record.subject(),
                    record.payload(), "exchange " + task.exchange().exchangeId(), null)));
            return "written to the outbox as " + name;
        } catch (FileAlreadyExistsException e) {
            // written meanwhile by an earlier attempt: delivered
            return "already in the outbox as " + name + " (an earlier attempt wrote it)";
        } catch (CharacterCodingException e) {
            throw new DeliveryFailure("a value cannot be written in the encoding of mapping '" + mapping.name()
                    + "' (" + mapping.encoding() + ")", false);
        } catch (IOException e) {
            throw new DeliveryFailure("cannot write to the outbox " + outbox + ": " + e.getClass().getSimpleName(),
                    true);
        } catch (IllegalArgumentException e) {
            throw new DeliveryFailure("not exported: " + e.getMessage(), false);
        }
    }

    /**
     * The outbox, created when missing. A file or a broken link in its place is the operator's to fix: retried (the
     * writer's "already exists" is about the export file, which must not be taken for the folder's).
     */
    private void outboxFolder() {
        try {
            Files.createDirectories(outbox);
        } catch (FileAlreadyExistsException e) {
            throw new DeliveryFailure("the outbox " + outbox + " is not a folder (a file, or a link to nothing, has"
                    + " its name)", true);
        } catch (IOException e) {
            throw new DeliveryFailure("cannot create the outbox " + outbox + ": " + e.getClass().getSimpleName(),
                    true);
        }
    }

    private CsvExportWriter writer(String recordType) {
        Object writer = writers.computeIfAbsent(recordType, type -> {
            try {
                return new CsvExportWriter(mapping, type, issuers);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        if (writer instanceof CsvExportWriter csv) {
            return csv;
        }
        throw new DeliveryFailure("record type '" + recordType + "' is not exported to the outbox: " + writer, false);
    }

    String fileName(DeliveryTask task, String recordType) {
        return fileName.replace("{recordType}", recordType)
                .replace("{key}", task.idempotencyKey())
                .replace("{exchangeId}", task.exchange().exchangeId().toString())
                .replace("{partner}", recipient)
                .replace("{receivedDate}", DAY.format(task.exchange().receivedAt()));
    }
}

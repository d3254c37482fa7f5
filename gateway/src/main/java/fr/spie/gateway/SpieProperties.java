package fr.spie.gateway;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** The gateway's own settings (prefix {@code spie}), documented in config/README.md. */
@ConfigurationProperties("spie")
public record SpieProperties(String dataDir, String configDir, Intake intake, Broker broker, Privacy privacy,
                             DeliverySettings delivery) {

    public SpieProperties {
        dataDir = dataDir == null || dataDir.isBlank() ? "data" : dataDir;
        configDir = configDir == null || configDir.isBlank() ? "config" : configDir;
        intake = intake == null ? new Intake(null) : intake;
        broker = broker == null ? new Broker(null, null, null, null, null) : broker;
        privacy = privacy == null ? new Privacy(null, null) : privacy;
        delivery = delivery == null ? new DeliverySettings(null, null) : delivery;
    }

    /** @param maxBodySize largest accepted request body (413 above) */
    public record Intake(DataSize maxBodySize) {
        public Intake {
            maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(1) : maxBodySize;
        }
    }

    /**
     * @param url      external broker URL (e.g. tcp://broker:61616); empty: an embedded broker under the data directory
     * @param user     broker user (external broker only)
     * @param password broker password (external broker only)
     * @param journalSyncNonTransactional whether the embedded broker syncs the journal on every non-transactional send
     * @param maxDiskUsage percentage of its file system's space above which the embedded broker takes no more
     *                     messages (Artemis's {@code max-disk-usage}); 100: only a full file system stops it
     */
    public record Broker(String url, String user, String password, Boolean journalSyncNonTransactional,
                         Integer maxDiskUsage) {
        public Broker {
            if (maxDiskUsage != null && (maxDiskUsage < 1 || maxDiskUsage > 100)) {
                throw new IllegalArgumentException("spie.broker.max-disk-usage must be a percentage from 1 to 100, "
                        + "not " + maxDiskUsage);
            }
            maxDiskUsage = maxDiskUsage == null ? 90 : maxDiskUsage;
        }

        public boolean embedded() {
            return url == null || url.isBlank();
        }

        public boolean syncNonTransactional() {
            return journalSyncNonTransactional == null || journalSyncNonTransactional;
        }
    }

    /**
     * @param pseudonymKey     base64 HMAC key for person pseudonyms; empty: read or create {@code keyFile}
     * @param keyFile          where the generated key is kept (default data-dir/keys/pseudonym.key)
     */
    public record Privacy(String pseudonymKey, String keyFile) {
    }

    /**
     * @param consumersPerRecipient concurrent delivery consumers per recipient queue (order per person is kept)
     * @param recoveryInterval      how often the outbox dispatcher looks for deliveries not yet queued, besides being
     *                              woken by each accepted exchange
     */
    public record DeliverySettings(Integer consumersPerRecipient, Duration recoveryInterval) {
        public DeliverySettings {
            consumersPerRecipient = consumersPerRecipient == null ? 4 : consumersPerRecipient;
            recoveryInterval = recoveryInterval == null ? Duration.ofSeconds(30) : recoveryInterval;
        }
    }

    /** The data directory (a plain file-system path, relative to the working directory or absolute). */
    public Path dataPath() {
        return Path.of(dataDir);
    }

    /** The routing configuration directory. */
    public Path configPath() {
        return Path.of(configDir);
    }

    public Path resolvedKeyFile() {
        return privacy.keyFile() != null && !privacy.keyFile().isBlank() ? Path.of(privacy.keyFile())
                : dataPath().resolve("keys").resolve("pseudonym.key");
    }
}

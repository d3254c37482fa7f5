package fr.spie.gateway.files;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The file channel's settings (prefix {@code spie.files}), documented in config/README.md.
 *
 * @param maxSize        largest accepted file (upload or drop); uploads are streamed to disk, never held in memory
 * @param inboxPoll      how often {@code <data-dir>/inbox/<partner-id>/} is scanned; a file is taken once its size and
 *                       modification time did not change between two scans
 * @param inboxEnabled   whether the inbox is watched at all
 * @param workers        files processed at the same time
 * @param queueCapacity  files waiting for a worker in memory; beyond, they wait in the database (status RECEIVED)
 * @param validateFirst  read each file once without submitting anything before reading it for real, so that an
 *                       unreadable file is quarantined with nothing emitted
 * @param maxAttempts    processing attempts of a file that fails for an unexpected reason (database down...) before
 *                       it is quarantined
 * @param batchSize      records stored per database transaction; the next batch is read and checked meanwhile
 * @param inboxQuietPeriod how long a file dropped in the inbox must have gone unmodified before it is taken (besides
 *                       being unchanged between two scans): a writer that pauses longer than a scan interval (a
 *                       slow or stalled SFTP transfer) must not have its file taken half-written
 * @param leaseDuration  how long the lease of the instance processing a file lasts without renewal: after a crash,
 *                       another instance (that has the file's bytes) resumes the file once it expired
 * @param leaseRenewal   how often the processing instance renews its leases (at most a third of the duration)
 */
@ConfigurationProperties("spie.files")
public record FilesProperties(DataSize maxSize, Duration inboxPoll, Boolean inboxEnabled, Integer workers,
                              Integer queueCapacity, Boolean validateFirst, Integer maxAttempts,
                              Integer batchSize, Duration inboxQuietPeriod, Duration leaseDuration,
                              Duration leaseRenewal) {
    public FilesProperties {
        maxSize = maxSize == null ? DataSize.ofGigabytes(2) : maxSize;
        inboxPoll = inboxPoll == null ? Duration.ofSeconds(2) : inboxPoll;
        inboxEnabled = inboxEnabled == null || inboxEnabled;
        workers = workers == null ? 2 : workers;
        queueCapacity = queueCapacity == null ? 100 : queueCapacity;
        validateFirst = validateFirst == null || validateFirst;
        maxAttempts = maxAttempts == null ? 3 : maxAttempts;
        batchSize = batchSize == null ? 500 : batchSize;
        // refused here, naming the key: max-attempts 0 would quarantine every file unread, inbox-poll 0s would stop
        // the gateway once ready (the scheduler refuses it), workers 0 would fail with a JDK message naming no key
        if (maxSize.toBytes() < 1) {
            throw new IllegalArgumentException("spie.files.max-size must be at least 1 byte, got " + maxSize);
        }
        if (inboxPoll.toMillis() < 1) {
            throw new IllegalArgumentException("spie.files.inbox-poll must be at least 1ms, got " + inboxPoll);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("spie.files.workers must be at least 1, got " + workers);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("spie.files.max-attempts must be at least 1, got " + maxAttempts);
        }
        inboxQuietPeriod = inboxQuietPeriod == null ? Duration.ofSeconds(10) : inboxQuietPeriod;
        if (inboxQuietPeriod.isNegative()) {
            throw new IllegalArgumentException("spie.files.inbox-quiet-period must not be negative, got "
                    + inboxQuietPeriod);
        }
        leaseDuration = leaseDuration == null ? Duration.ofSeconds(60) : leaseDuration;
        leaseRenewal = leaseRenewal == null ? Duration.ofSeconds(15) : leaseRenewal;
        if (leaseDuration.toMillis() < 1) {
            throw new IllegalArgumentException("spie.files.lease-duration must be positive, got " + leaseDuration);
        }
        if (leaseRenewal.toMillis() < 1 || leaseRenewal.toMillis() * 3 > leaseDuration.toMillis()) {
            throw new IllegalArgumentException("spie.files.lease-renewal must be positive and at most a third of "
                    + "spie.files.lease-duration (" + leaseDuration + "), got " + leaseRenewal);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("spie.files.batch-size must be at least 1, got " + batchSize);
        }
    }
}

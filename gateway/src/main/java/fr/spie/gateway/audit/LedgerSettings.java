package fr.spie.gateway.audit;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The ledger's settings (prefix {@code spie.ledger}), documented in config/README.md and docs/audit.md.
 *
 * @param keystore        PKCS#12 keystore holding the Ed25519 signing key; empty: {@code <data-dir>/keys/ledger.p12},
 *                        generated on first start
 * @param password        keystore password; empty with the default keystore: a random password kept in
 *                        {@code <data-dir>/keys/ledger.p12.password}
 * @param alias           key entry alias
 * @param headEveryEvents publish a signed tree head once this many events were added since the last one
 * @param headEvery       ... or when this long has passed since the last one and the ledger grew
 * @param batchSize       audit rows per writer batch (one fsync and one transaction per batch)
 * @param pollInterval    how often the writer looks for new audit rows when it has caught up
 * @param maxLag          health is DOWN when the oldest audit row without ledger index is older than this
 * @param holeGrace       how long the writer waits for an audit seq it passed without a committed row (a transaction
 *                        committing out of seq order) before giving it up as rolled back
 * @param acceptRewindTo  unset, or the number of ledger entries of a database restored from a backup older than the
 *                        ledger, from which the operator accepts to continue it (recorded as {@code LEDGER_REWOUND})
 */
@ConfigurationProperties("spie.ledger")
public record LedgerSettings(Path keystore, String password, String alias, Long headEveryEvents, Duration headEvery,
                             Integer batchSize, Duration pollInterval, Duration maxLag,
                             Duration holeGrace, Long acceptRewindTo) {
    public LedgerSettings {
        alias = alias == null || alias.isBlank() ? "ledger" : alias;
        headEveryEvents = headEveryEvents == null ? 10_000L : headEveryEvents;
        headEvery = headEvery == null ? Duration.ofSeconds(10) : headEvery;
        batchSize = batchSize == null ? 1000 : batchSize;
        pollInterval = pollInterval == null ? Duration.ofMillis(100) : pollInterval;
        maxLag = maxLag == null ? Duration.ofSeconds(60) : maxLag;
        holeGrace = holeGrace == null ? fr.spie.gateway.ledger.db.LedgerWriter.Settings.DEFAULT_HOLE_GRACE : holeGrace;
        if (acceptRewindTo != null && acceptRewindTo < 0) {
            throw new IllegalArgumentException("spie.ledger.accept-rewind-to must be a number of ledger entries (0 or "
                    + "more), not " + acceptRewindTo);
        }
    }
}

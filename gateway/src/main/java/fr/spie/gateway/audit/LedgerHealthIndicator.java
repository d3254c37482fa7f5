package fr.spie.gateway.audit;

import fr.spie.gateway.cluster.LeaderElection;
import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.db.LedgerDb;
import fr.spie.gateway.ledger.db.LedgerWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code ledger} health: on the leader, DOWN when its writer is not running, failed its last batch or is behind
 * by more than {@code spie.ledger.max-lag}; on another instance (standby), UP. Details: role, signing key id, the TSA,
 * the ledger's size and latest head, the lag (docs/operations.md, Health).
 */
public final class LedgerHealthIndicator implements HealthIndicator {
    private final LedgerWriter writer;
    private final LedgerDb db;
    private final LedgerSettings settings;
    private final LedgerTsa tsa;
    private final LeaderElection election;
    private final GatewayKeys keys;

    public LedgerHealthIndicator(LedgerWriter writer, LedgerDb db, LedgerSettings settings, LedgerTsa tsa,
                                 LeaderElection election, GatewayKeys keys) {
        this.writer = writer;
        this.db = db;
        this.settings = settings;
        this.tsa = tsa;
        this.election = election;
        this.keys = keys;
    }

    @Override
    public Health health() {
        LedgerWriter.Status st = writer.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("role", election.isLeader() ? "leader" : "standby");
        // the signing key is loaded (the context does not start without it): which one
        details.put("signerKeyId", keys.keyId());
        // a TSA outage is reported in this detail only: it never makes the ledger (or readiness) DOWN
        details.put("tsa", tsa.healthDetails());
        Instant oldest;
        try {
            details.put("size", CommittedLedger.size(writer, db));
            SignedTreeHead head = CommittedLedger.latestHead(writer, db).orElse(null);
            details.put("latestHeadSize", head == null ? null : head.treeSize());
            details.put("latestHeadAt", head == null ? null : head.treeHead().timestamp());
            details.put("latestHeadAgeMs", head == null ? null
                    : Duration.between(head.treeHead().timestamp(), Instant.now()).toMillis());
            details.put("lag", db.pendingCount());
            oldest = db.oldestPending();
        } catch (RuntimeException e) {
            return Health.down().withDetails(details).withDetail("error", e.getMessage()).build();
        }
        Duration behind = oldest == null ? Duration.ZERO : Duration.between(oldest, Instant.now());
        details.put("oldestPendingAgeMs", behind.toMillis());
        if (!election.isLeader()) {
            return Health.up().withDetails(details).build();   // another instance runs the writer
        }
        if (!st.running()) {
            return Health.down().withDetails(details).withDetail("error", "the ledger writer is not running").build();
        }
        if (st.lastError() != null) {
            return Health.down().withDetails(details).withDetail("error", st.lastError())
                    .withDetail("errorAt", st.lastErrorAt()).build();
        }
        if (behind.compareTo(settings.maxLag()) > 0) {
            return Health.down().withDetails(details)
                    .withDetail("error", "the ledger writer is behind by more than " + settings.maxLag()).build();
        }
        return Health.up().withDetails(details).build();
    }
}

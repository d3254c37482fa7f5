package fr.spie.gateway.audit;

import fr.spie.gateway.ledger.SignedTreeHead;
import fr.spie.gateway.ledger.db.LedgerDb;
import fr.spie.gateway.ledger.db.LedgerWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The audit ledger's gauges: {@code spie.ledger.size} (leaves), {@code spie.ledger.lag} (audit events not yet in the
 * ledger), {@code spie.ledger.oldest.pending.age} (seconds since the oldest of them was recorded: what the
 * {@code ledger} health compares with {@code spie.ledger.max-lag}, 0 when none waits) and
 * {@code spie.ledger.head.age} (seconds since the latest signed tree head; a head is signed only when the ledger grew,
 * so this one also grows while nothing happens). The database ones are read when scraped, NaN when it does not
 * answer. Size and head as {@link CommittedLedger} gives them (a standby reads the database's).
 */
public final class LedgerMetrics implements MeterBinder {
    private final LedgerWriter writer;
    private final LedgerDb db;
    private final Clock clock;

    public LedgerMetrics(LedgerWriter writer, LedgerDb db, Clock clock) {
        this.writer = writer;
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("spie.ledger.size", this, m -> orNaN(m::size))
                .description("leaves in the audit ledger (committed)").register(registry);
        Gauge.builder("spie.ledger.lag", db, d -> orNaN(d::pendingCount))
                .description("audit events not yet in the ledger").register(registry);
        Gauge.builder("spie.ledger.oldest.pending.age", db, d -> orNaN(() -> {
                    Instant oldest = d.oldestPending();
                    return oldest == null ? 0 : secondsSince(oldest);
                }))
                .baseUnit("seconds")
                .description("age of the oldest audit event not yet in the ledger (0 when none waits); the ledger "
                        + "health is DOWN beyond spie.ledger.max-lag")
                .register(registry);
        Gauge.builder("spie.ledger.head.age", this, m -> orNaN(() -> m.latestHead()
                        .map(h -> secondsSince(h.treeHead().timestamp())).orElse(Double.NaN)))
                .baseUnit("seconds").description("age of the latest signed tree head").register(registry);
    }

    private long size() {
        return CommittedLedger.size(writer, db);
    }

    private Optional<SignedTreeHead> latestHead() {
        return CommittedLedger.latestHead(writer, db);
    }

    private double secondsSince(Instant t) {
        return Math.max(0, Duration.between(t, clock.instant()).toMillis() / 1000.0);
    }

    private static double orNaN(Supplier<Number> read) {
        try {
            return read.get().doubleValue();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}

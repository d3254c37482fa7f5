package fr.spie.gateway.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Commits the writes of concurrent callers in one database transaction (group commit), so that a commit — a write
 * of the embedded database's file, an fsync of PostgreSQL's log — is shared by every intake or delivery step that
 * arrived while the previous one was being made.
 *
 * <p>The caller's thread waits until its writes are committed (or have failed), exactly as with a transaction of its
 * own: {@link #execute} returns only once they are durable. The first caller to find no commit in progress becomes
 * the leader: it takes every queued unit (up to {@code spie.storage.group-commit.max-batch}), runs them one after
 * the other in one transaction and commits; the callers that queued meanwhile are released by that commit, or lead
 * the next one. A unit that fails (a duplicate key, a constraint) rolls the group back, and each unit of the group is
 * then run again in a transaction of its own, so that one caller's failure is that caller's only. A unit must
 * therefore only write to the database, and may run on another caller's thread.
 *
 * <p>A caller already inside a transaction has its writes run in that transaction, as before.
 */
@Component
public class GroupCommit {
    private final TransactionTemplate tx;
    private final int maxBatch;
    private final ReentrantLock leader = new ReentrantLock();
    private final ConcurrentLinkedQueue<Unit> queued = new ConcurrentLinkedQueue<>();
    private final DistributionSummary groupSizes;
    private final MeterRegistry meters;
    private final Map<String, Counter> unitsByKind = new ConcurrentHashMap<>();

    public GroupCommit(TransactionTemplate tx, @Value("${spie.storage.group-commit.max-batch:64}") int maxBatch,
                       MeterRegistry meters) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("spie.storage.group-commit.max-batch must be at least 1, not "
                    + maxBatch);
        }
        this.tx = tx;
        this.maxBatch = maxBatch;
        this.meters = meters;
        this.groupSizes = DistributionSummary.builder("spie.storage.group.commit.size")
                .description("units of work (intakes, delivery steps, outbox marks) committed by one transaction")
                .register(meters);
    }

    /**
     * Runs {@code writes} in a database transaction shared with concurrent callers, and returns once it is committed.
     *
     * @param kind   what the writes are ({@code intake}, {@code delivery}, {@code outbox}): the tag of the metric
     *               {@code spie.storage.group.commit.units}
     * @throws RuntimeException what {@code writes} threw (nothing of it is committed), or the commit's failure
     */
    public void execute(String kind, Runnable writes) {
        unitsByKind.computeIfAbsent(kind, k -> Counter.builder("spie.storage.group.commit.units")
                .description("units of work given to the group commit").tag("kind", k).register(meters))
                .increment();
        if (maxBatch == 1 || TransactionSynchronizationManager.isActualTransactionActive()) {
            tx.executeWithoutResult(status -> writes.run());
            return;
        }
        Unit unit = new Unit(writes);
        queued.add(unit);
        leader.lock();
        try {
            while (!unit.done) {
                commitNextGroup();
            }
        } finally {
            leader.unlock();
        }
        unit.rethrowFailure();
    }

    /** How many units wait for a leader (for tests). */
    int queuedUnits() {
        return queued.size();
    }

    /** Under the leader lock: commits the units queued first, at most {@code maxBatch} of them. */
    private void commitNextGroup() {
        List<Unit> group = new ArrayList<>(Math.min(maxBatch, 16));
        Unit next;
        while (group.size() < maxBatch && (next = queued.poll()) != null) {
            group.add(next);
        }
        if (group.isEmpty()) {
            return;
        }
        groupSizes.record(group.size());
        Unit[] failing = new Unit[1];
        try {
            tx.executeWithoutResult(status -> {
                for (Unit unit : group) {
                    failing[0] = unit;
                    unit.writes.run();
                }
                failing[0] = null;
            });
            group.forEach(Unit::succeeded);
        } catch (RuntimeException | Error e) {
            if (failing[0] == null || group.size() == 1) {
                // the commit itself failed (or the group was one unit): nothing to separate
                group.forEach(unit -> unit.failed(e));
            } else {
                // one unit's writes failed and rolled the group back: each unit again, on its own
                for (Unit unit : group) {
                    commitAlone(unit);
                }
            }
        }
    }

    private void commitAlone(Unit unit) {
        try {
            tx.executeWithoutResult(status -> unit.writes.run());
            unit.succeeded();
        } catch (RuntimeException | Error e) {
            unit.failed(e);
        }
    }

    /** One caller's writes and, once the leader is done with them, their outcome. */
    private static final class Unit {
        private final Runnable writes;
        private volatile boolean done;
        private volatile Throwable failure;

        Unit(Runnable writes) {
            this.writes = writes;
        }

        void succeeded() {
            done = true;
        }

        void failed(Throwable e) {
            failure = e;
            done = true;
        }

        void rethrowFailure() {
            Throwable e = failure;
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof Error error) {
                throw error;
            }
        }
    }
}

package fr.spie.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Concurrent callers share a commit, each returns once its writes are committed, and one caller's failure stays its
 * own.
 */
class GroupCommitTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger commitCalls = new AtomicInteger();
    /** The number of the commit call to refuse (1 for the first), 0 for none. */
    private final AtomicInteger refusedCommit = new AtomicInteger();
    private final ExecutorService callers = Executors.newFixedThreadPool(8);
    private JdbcTemplate jdbc;
    private GroupCommit group;

    @BeforeEach
    void database() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:group-commit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(h2);
        jdbc.execute("CREATE TABLE probe (id INT PRIMARY KEY, caller VARCHAR(16))");
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(h2) {
            @Override
            protected void doCommit(DefaultTransactionStatus status) {
                if (commitCalls.incrementAndGet() == refusedCommit.get()) {
                    throw new TransactionSystemException("the database refused the commit");
                }
                super.doCommit(status);
                commits.incrementAndGet();
            }
        };
        // a refused commit leaves nothing behind (without this, restoring auto-commit would commit it after all)
        transactions.setRollbackOnCommitFailure(true);
        group = new GroupCommit(new TransactionTemplate(transactions), 64, meters);
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void callersThatArriveDuringACommitShareTheNextOne() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Future<?> first = callers.submit(() -> group.execute("test", () -> {
            insert(0, "first");
            firstInside.countDown();
            await(releaseFirst);
        }));
        assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<?>> others = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int id = i;
            others.add(callers.submit(() -> {
                group.execute("test", () -> insert(id, "other"));
                // returned: committed, so visible to any other connection
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM probe WHERE id = ?", Integer.class, id))
                        .isEqualTo(1);
            }));
        }
        waitUntil(() -> group.queuedUnits() == 5);
        assertThat(commits.get()).as("nothing committed while the first caller's writes run").isZero();
        releaseFirst.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<?> other : others) {
            other.get(10, TimeUnit.SECONDS);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM probe", Integer.class)).isEqualTo(6);
        assertThat(commits.get()).as("six callers, two commits").isEqualTo(2);
        DistributionSummary sizes = meters.get("spie.storage.group.commit.size").summary();
        assertThat(sizes.count()).isEqualTo(2);
        assertThat(sizes.max()).isEqualTo(5);
    }

    @Test
    void aFailingCallerGetsItsErrorAndTheOthersOfItsGroupAreCommittedAlone() throws Exception {
        jdbc.update("INSERT INTO probe VALUES (42, 'earlier')");
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Future<?> first = callers.submit(() -> group.execute("test", () -> {
            insert(0, "first");
            firstInside.countDown();
            await(releaseFirst);
        }));
        assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();
        Future<?> before = callers.submit(() -> group.execute("test", () -> insert(1, "before")));
        waitUntil(() -> group.queuedUnits() == 1);
        Future<?> duplicate = callers.submit(() -> group.execute("test", () -> {
            insert(2, "duplicate");
            insert(42, "duplicate");
        }));
        waitUntil(() -> group.queuedUnits() == 2);
        Future<?> after = callers.submit(() -> group.execute("test", () -> insert(3, "after")));
        waitUntil(() -> group.queuedUnits() == 3);
        releaseFirst.countDown();

        first.get(10, TimeUnit.SECONDS);
        before.get(10, TimeUnit.SECONDS);
        after.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> duplicate.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(DuplicateKeyException.class);
        assertThat(jdbc.queryForList("SELECT caller FROM probe ORDER BY id", String.class))
                .as("the failing caller's first insert is not kept either")
                .containsExactly("first", "before", "after", "earlier");
    }

    @Test
    void whenTheCommitItselfFailsEveryCallerOfTheGroupIsToldAndNothingIsRunTwice() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Future<?> first = callers.submit(() -> group.execute("test", () -> {
            insert(0, "first");
            firstInside.countDown();
            await(releaseFirst);
        }));
        assertThat(firstInside.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger runs = new AtomicInteger();
        List<Future<?>> grouped = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int id = i;
            grouped.add(callers.submit(() -> group.execute("test", () -> {
                runs.incrementAndGet();
                insert(id, "grouped");
            })));
        }
        waitUntil(() -> group.queuedUnits() == 3);
        // the first caller's commit goes through; the group's, the second, is refused
        refusedCommit.set(2);
        releaseFirst.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<?> f : grouped) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TransactionSystemException.class);
        }
        assertThat(runs.get()).as("each unit ran once: a commit of unknown outcome is not replayed").isEqualTo(3);
        assertThat(jdbc.queryForList("SELECT caller FROM probe ORDER BY id", String.class)).containsExactly("first");
    }

    @Test
    void aCallerAlreadyInATransactionWritesInIt() {
        TransactionTemplate outer = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        outer.executeWithoutResult((TransactionStatus status) -> {
            group.execute("test", () -> insert(7, "inner"));
            status.setRollbackOnly();
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM probe", Integer.class))
                .as("rolled back with the caller's transaction").isZero();
        assertThat(commits.get()).isZero();
    }

    private void insert(int id, String caller) {
        jdbc.update("INSERT INTO probe VALUES (?, ?)", id, caller);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}

package fr.spie.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.spie.gateway.it.prod.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The advisory-lock election on a real PostgreSQL: one leader, takeover on stop, stand-down on a lost session. */
class LeaderElectionTest {
    private static final Duration CHECK = Duration.ofMillis(200);

    private static PostgresServer postgres;
    private static String url;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start(PostgresServer.newDirectory("pg"));
        url = postgres.createDatabase("leader_election");
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** Records what the election asked of it, in order. */
    static final class RecordingTask implements LeaderElection.LeaderTask {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void lead() {
            calls.add("lead");
        }

        @Override
        public void standDown() {
            calls.add("standDown");
        }
    }

    private static LeaderElection election(long key, RecordingTask task) {
        LeaderElection e = new LeaderElection(() -> DriverManager.getConnection(url, PostgresServer.USER, ""), true,
                key, CHECK);
        e.register(task);
        return e;
    }

    @Test
    void oneInstanceLeadsAndTheOtherTakesOverWhenItStops() {
        RecordingTask a = new RecordingTask();
        RecordingTask b = new RecordingTask();
        LeaderElection first = election(41, a);
        LeaderElection second = election(41, b);
        try {
            first.start();
            second.start();
            assertThat(first.isLeader()).isTrue();
            assertThat(a.calls).containsExactly("lead");
            // several rounds later the follower still waits
            await().pollDelay(Duration.ofMillis(600)).until(() -> true);
            assertThat(second.isLeader()).isFalse();
            assertThat(b.calls).isEmpty();

            first.close();
            assertThat(a.calls).containsExactly("lead", "standDown");
            await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
            assertThat(b.calls).containsExactly("lead");
        } finally {
            first.close();
            second.close();
        }
        assertThat(b.calls).containsExactly("lead", "standDown");
    }

    @Test
    void aLeaderWhoseSessionIsEndedStandsDownAndTheLockGoesToTheOther() throws Exception {
        RecordingTask a = new RecordingTask();
        RecordingTask b = new RecordingTask();
        LeaderElection first = election(42, a);
        LeaderElection second = election(42, b);
        try {
            first.start();
            second.start();
            assertThat(first.isLeader()).isTrue();
            try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "");
                 Statement s = c.createStatement()) {
                // what PostgreSQL does to the session of a leader that died or was cut off
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                        + "AND objid = 42 AND granted");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !first.isLeader());
            assertThat(a.calls).containsExactly("lead", "standDown");
            await().atMost(Duration.ofSeconds(10)).until(() -> first.isLeader() ^ second.isLeader());
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void withoutPostgresTheSingleInstanceLeadsAtOnce() {
        RecordingTask task = new RecordingTask();
        LeaderElection alone = new LeaderElection(() -> {
            throw new AssertionError("no lock connection without PostgreSQL");
        }, false, 1, CHECK);
        alone.register(task);
        alone.start();
        assertThat(alone.isLeader()).isTrue();
        alone.close();
        assertThat(task.calls).containsExactly("lead", "standDown");
    }

    @Test
    void aLeaderTaskThatFailsToStartGivesTheLockBack() {
        RecordingTask started = new RecordingTask();
        LeaderElection.LeaderTask failing = new LeaderElection.LeaderTask() {
            @Override
            public void lead() {
                throw new IllegalStateException("ledger leaf file does not match");
            }

            @Override
            public void standDown() {
            }
        };
        LeaderElection first = election(43, started);
        first.register(failing);
        RecordingTask other = new RecordingTask();
        LeaderElection second = election(43, other);
        try {
            first.start();
            assertThat(first.isLeader()).isFalse();
            assertThat(started.calls).startsWith("lead", "standDown");
            second.start();
            // the lock was given back: either instance may hold it now, the failing one never keeps it
            await().atMost(Duration.ofSeconds(10)).until(second::isLeader);
        } finally {
            first.close();
            second.close();
        }
    }
}

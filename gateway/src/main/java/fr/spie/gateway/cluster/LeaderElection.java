package fr.spie.gateway.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects the one gateway instance that runs the singleton tasks (the ledger writer, the head timestamper, payload
 * retention) among the instances that share a database.
 *
 * <p>On PostgreSQL the leader is the instance that holds the session-level advisory lock {@code lockKey}
 * ({@code pg_try_advisory_lock}) on a dedicated connection, opened outside the pool and kept for as long as the
 * instance leads. The other instances try again every {@code checkInterval}; the leader checks its connection at the
 * same interval. When the leader stops, its lock is released and another instance takes over within one interval;
 * when it dies or loses the network, PostgreSQL ends its session (and frees the lock) once it notices, and the
 * leader, which no longer sees a valid connection, stops its tasks at its next check.
 *
 * <p>On any other database (H2, a file owned by one process) there is a single instance: it leads at once and for
 * good.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    /** What runs on the leader only: started when this instance is elected, stopped when it stops leading. */
    public interface LeaderTask {
        /** Called on the election thread once this instance leads; a failure gives the leadership back. */
        void lead();

        /** Called when this instance stops leading (or shuts down); must not throw. */
        void standDown();
    }

    private final ConnectionSource connections;
    private final long lockKey;
    private final Duration checkInterval;
    private final boolean postgres;
    private final List<LeaderTask> tasks = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    private Connection lockConnection;
    private volatile boolean leader;
    private volatile boolean running;
    private Thread thread;

    /** A connection outside the pool, for the advisory lock. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    public LeaderElection(ConnectionSource connections, boolean postgres, long lockKey, Duration checkInterval) {
        this.connections = connections;
        this.postgres = postgres;
        this.lockKey = lockKey;
        this.checkInterval = checkInterval;
    }

    /** Whether the data source is a PostgreSQL database (asked once, at start-up). */
    public static boolean isPostgres(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return "PostgreSQL".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
    }

    /** Registers a task; tasks are led in registration order and stood down in reverse order. */
    public void register(LeaderTask task) {
        if (!tasks.contains(task)) {
            tasks.add(task);
        }
    }

    public boolean isLeader() {
        return leader;
    }

    /** Whether the instances elect a leader (PostgreSQL), or this one leads alone. */
    public boolean elects() {
        return postgres;
    }

    /** Tries once at once (so that a lone instance leads when start returns), then keeps trying in the background. */
    public void start() {
        synchronized (lock) {
            if (running) {
                return;
            }
            running = true;
            if (!postgres) {
                lead();
                return;
            }
            check();
            thread = new Thread(this::loop, "spie-leader-election");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(checkInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            synchronized (lock) {
                if (running) {
                    check();
                }
            }
        }
    }

    /** One round: a leader checks that it still holds its session, a follower tries to take the lock. */
    private void check() {
        if (leader) {
            if (!connectionValid()) {
                log.warn("Lost the database session that holds the leader lock: standing down");
                standDown();
                closeConnection();
            }
            return;
        }
        try {
            if (lockConnection == null || !lockConnection.isValid(5)) {
                closeConnection();
                lockConnection = connections.open();
                lockConnection.setAutoCommit(true);
            }
            try (PreparedStatement ps = lockConnection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, lockKey);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        log.info("This instance holds the leader lock {}: it runs the singleton tasks", lockKey);
                        if (!lead()) {
                            unlock();
                        }
                    }
                }
            }
        } catch (SQLException e) {
            log.warn("Leader election round failed, trying again in {}: {}", checkInterval, e.getMessage());
            closeConnection();
        }
    }

    private boolean lead() {
        leader = true;
        int started = 0;
        try {
            for (LeaderTask task : tasks) {
                task.lead();
                started++;
            }
            return true;
        } catch (RuntimeException e) {
            log.error("A leader task failed to start: giving the leadership back", e);
            for (int i = started - 1; i >= 0; i--) {
                standDownQuietly(tasks.get(i));
            }
            leader = false;
            return false;
        }
    }

    private void standDown() {
        if (!leader) {
            return;
        }
        leader = false;
        for (int i = tasks.size() - 1; i >= 0; i--) {
            standDownQuietly(tasks.get(i));
        }
    }

    private static void standDownQuietly(LeaderTask task) {
        try {
            task.standDown();
        } catch (RuntimeException e) {
            log.warn("A leader task failed to stop", e);
        }
    }

    private boolean connectionValid() {
        try {
            return lockConnection != null && lockConnection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private void unlock() {
        try (PreparedStatement ps = lockConnection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, lockKey);
            ps.executeQuery().close();
        } catch (SQLException e) {
            closeConnection();   // ending the session frees the lock as well
        }
    }

    private void closeConnection() {
        if (lockConnection != null) {
            try {
                lockConnection.close();
            } catch (SQLException e) {
                // the session is gone either way
            }
            lockConnection = null;
        }
    }

    /** Stops the leader tasks (when leading), then gives the lock back so that another instance takes over. */
    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            running = false;
            t = thread;
            thread = null;
            standDown();
            if (lockConnection != null) {
                unlock();
                closeConnection();
            }
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.it.prod.PostgresServer;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** The file lease's SQL on a real PostgreSQL (the migrations, the database's clock and intervals, racing claims). */
class FileLeasePostgresTest {
    private static PostgresServer postgres;
    private static JdbcTemplate jdbc;
    private static ReceivedFileStore store;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start(PostgresServer.newDirectory("pg"));
        String url = postgres.createDatabase("file_lease");
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), url,
                PostgresServer.USER, "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/postgresql")
                .load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        // no audit trail: the lease statements write none
        store = new ReceivedFileStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                null);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static UUID file(String storeId) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO received_file (file_id, partner, digest, size_bytes, format, channel, status, "
                + "received_at, store_id, stored_by) VALUES (?, 'caf-51', ?, 1, 'cnaf-vrsb0801', 'UPLOAD', "
                + "'RECEIVED', ?, ?, 'instance-a')", id, "0".repeat(64), Timestamp.from(Instant.now()), storeId);
        return id;
    }

    @Test
    void aLeaseIsClaimedOnceRenewedByItsHolderOnlyAndFreeAgainWhenReleasedOrExpired() throws Exception {
        UUID id = file("store-1");
        assertThat(store.claim(id, "a", Duration.ofMinutes(1))).isTrue();
        assertThat(store.claim(id, "b", Duration.ofMinutes(1))).isFalse();
        assertThat(store.claim(id, "a", Duration.ofMinutes(1))).as("its holder again (a restart, same id)").isTrue();
        Instant until = store.find(id).orElseThrow().leaseUntil();
        assertThat(until).isBetween(Instant.now().plusSeconds(50), Instant.now().plusSeconds(70));
        assertThat(store.renew(id, "b", Duration.ofMinutes(1))).isFalse();
        assertThat(store.renew(id, "a", Duration.ofMinutes(2))).isTrue();
        assertThat(store.find(id).orElseThrow().leaseUntil()).isAfter(until);
        assertThat(store.unfinished("store-1", "b", 100)).doesNotContain(id);
        assertThat(store.unfinished("store-1", "a", 100)).contains(id);

        store.release(id, "b"); // not b's: nothing
        assertThat(store.find(id).orElseThrow().leaseHolder()).isEqualTo("a");
        store.release(id, "a");
        assertThat(store.find(id).orElseThrow().leaseHolder()).isNull();
        assertThat(store.claim(id, "b", Duration.ofMillis(200))).isTrue();
        Thread.sleep(400);
        assertThat(store.unfinished("store-1", "c", 100)).as("expired").contains(id);
        assertThat(store.claim(id, "c", Duration.ofMinutes(1))).isTrue();
        assertThat(store.find(id).orElseThrow().leaseHolder()).isEqualTo("c");
    }

    @Test
    void ofInstancesClaimingAtOnceOneOnlyGetsTheLease() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 30; round++) {
                UUID id = file("store-1");
                List<Callable<Boolean>> claims = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String instance = "instance-" + i;
                    claims.add(() -> store.claim(id, instance, Duration.ofMinutes(1)));
                }
                long won = 0;
                for (Future<Boolean> claim : pool.invokeAll(claims)) {
                    won += claim.get() ? 1 : 0;
                }
                assertThat(won).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFileWhoseBytesAreInAnotherStoreIsListedWithWhetherThatStoreRuns() {
        UUID id = file("store-2");
        store.fileStoreSeen("store-2", "instance-a", "/var/lib/spie/files");
        store.fileStoreSeen("store-2", "instance-a2", "/var/lib/spie/files"); // the same store, a restarted instance

        assertThat(store.unfinished("store-3", "b", 100)).doesNotContain(id);
        ReceivedFileStore.Elsewhere waiting = store.unfinishedElsewhere("store-3", Duration.ofMinutes(1), 1000)
                .stream().filter(e -> e.fileId().equals(id)).findFirst().orElseThrow();
        assertThat(waiting.storeId()).isEqualTo("store-2");
        assertThat(waiting.storedBy()).isEqualTo("instance-a");
        assertThat(waiting.storeUsedBy()).isEqualTo("instance-a2");
        assertThat(waiting.storeRunning()).isTrue();

        jdbc.update("UPDATE file_store SET seen_at = CURRENT_TIMESTAMP - INTERVAL '2' MINUTE WHERE store_id = ?",
                "store-2");
        assertThat(store.fileStore("store-2", Duration.ofMinutes(1)).orElseThrow().storeRunning()).isFalse();
        assertThat(store.unfinishedElsewhere("store-2", Duration.ofMinutes(1), 1000))
                .noneMatch(e -> e.fileId().equals(id));
    }
}

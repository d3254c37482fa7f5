package fr.spie.gateway.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.TreeHeadSigner;
import fr.spie.gateway.ledger.db.LedgerDb;
import fr.spie.gateway.ledger.db.LedgerWriter;
import fr.spie.gateway.store.StoredExchange;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The receipt without, then with, its ledger index; the same facts give the same token; the ledger writer of the
 * instance tells a waiting answer.
 */
class ReceiptServiceTest {
    private static final GatewayKeys KEYS = GatewayKeys.generate();
    @TempDir
    Path dir;
    private JdbcTemplate jdbc;
    private LedgerWriter writer;
    private final AtomicInteger reads = new AtomicInteger();
    private ReceiptService receipts;
    private final StoredExchange exchange = new StoredExchange(UUID.randomUUID(), "cd-51", "orientation", "1.0",
            "orientation", "legal-obligation", "c".repeat(64), "p".repeat(64), null, "v".repeat(64),
            Instant.parse("2026-11-29T10:00:00.123456Z"));

    @BeforeEach
    void database() {
        DriverManagerDataSource ds = new DriverManagerDataSource(
                "jdbc:h2:mem:receipts-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        jdbc = new JdbcTemplate(ds) {
            @Override
            public <T> java.util.List<T> query(String sql, RowMapper<T> rowMapper, Object... args) {
                reads.incrementAndGet();
                return super.query(sql, rowMapper, args);
            }
        };
        jdbc.execute("RUNSCRIPT FROM 'classpath:db/migration/V1__exchanges_deliveries_audit.sql'");
        jdbc.execute("RUNSCRIPT FROM 'classpath:db/migration/V3__ledger.sql'");
        jdbc.execute("RUNSCRIPT FROM 'classpath:db/migration/V6__ledger_entry.sql'");
        jdbc.update("INSERT INTO audit_event (recorded_at, event_type, exchange_id, actor) "
                + "VALUES (CURRENT_TIMESTAMP, 'RECEIVED', ?, 'cd-51')", exchange.exchangeId());
        // a writer that is not started by default: the service only reads the database
        writer = new LedgerWriter(new LedgerDb(ds), dir.resolve("leaves.bin"), new TreeHeadSigner(KEYS),
                new LedgerWriter.Settings(1000, 10_000, Duration.ofSeconds(10), Duration.ofMinutes(10)),
                Clock.systemUTC());
        receipts = new ReceiptService(jdbc, writer, new GatewaySignatures(KEYS),
                new ReceiptSettings(Duration.ofMillis(50), "test-gateway"));
    }

    @AfterEach
    void stopWriter() {
        writer.close();
    }

    @Test
    void theLocalLedgerWriterTellsTheWaitingAnswerWithoutItReadingTheDatabaseAgain() throws Exception {
        writer.open();
        writer.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.size() < 1 && System.nanoTime() < until) { // the first exchange's event, then it idles
            Thread.sleep(10);
        }
        StoredExchange second = new StoredExchange(UUID.randomUUID(), "cd-51", "orientation", "1.0", "orientation",
                "legal-obligation", "d".repeat(64), "q".repeat(64), null, "v".repeat(64),
                Instant.parse("2026-11-29T10:00:01Z"));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        Future<ReceiptService.Receipt> answer;
        synchronized (writer) { // holds the writer's next batch back for 300 ms while the answer waits
            jdbc.update("INSERT INTO audit_event (recorded_at, event_type, exchange_id, actor) "
                    + "VALUES (CURRENT_TIMESTAMP, 'RECEIVED', ?, 'cd-51')", second.exchangeId());
            reads.set(0);
            answer = caller.submit(() -> receipts.receipt(second, Duration.ofSeconds(10)));
            Thread.sleep(300);
            assertThat(answer.isDone()).isFalse();
        }
        ReceiptService.Receipt receipt = answer.get(10, TimeUnit.SECONDS);
        caller.shutdown();
        assertThat(receipt.ledgered()).isTrue();
        var claims = CompactJws.verify(receipt.token(), KEYS.publicKey()).payloadJson();
        assertThat(claims.path("ledgerIndex").asLong()).isEqualTo(1);
        assertThat(claims.path("leafHash").asString()).isEqualTo(jdbc.queryForObject(
                "SELECT leaf_hash FROM ledger_entry WHERE ledger_index = 1", String.class).trim());
        // the first read, and one more after it registered (polling every 10 ms would have read ~30 times)
        assertThat(reads.get()).isLessThanOrEqualTo(3);
        // the same token as when read from the database afterwards
        assertThat(receipts.receipt(second, Duration.ZERO).token()).isEqualTo(receipt.token());
    }

    @Test
    void withoutItsLedgerIndexInTimeTheReceiptComesWithoutItThenGainsIt() {
        long start = System.nanoTime();
        ReceiptService.Receipt early = receipts.receipt(exchange);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(early.ledgered()).isFalse();
        var claims = CompactJws.verify(early.token(), KEYS.publicKey()).payloadJson();
        assertThat(claims.has("ledgerIndex")).isFalse();
        assertThat(claims.path("iss").asString()).isEqualTo("test-gateway");
        assertThat(claims.path("receivedAt").asString()).isEqualTo("2026-11-29T10:00:00.123456Z");

        jdbc.update("INSERT INTO ledger_entry (ledger_index, seq, leaf_hash) SELECT 41, seq, ? FROM audit_event "
                + "WHERE exchange_id = ?", "a".repeat(64), exchange.exchangeId());
        ReceiptService.Receipt last = receipts.receipt(exchange);
        assertThat(last.ledgered()).isTrue();
        claims = CompactJws.verify(last.token(), KEYS.publicKey()).payloadJson();
        assertThat(claims.path("ledgerIndex").asLong()).isEqualTo(41);
        assertThat(claims.path("leafHash").asString()).isEqualTo("a".repeat(64));
        assertThat(claims.path("auditSeq").asLong()).isEqualTo(1);
        // deterministic: asked again, the very same token
        assertThat(receipts.receipt(exchange, Duration.ZERO).token()).isEqualTo(last.token());
    }
}

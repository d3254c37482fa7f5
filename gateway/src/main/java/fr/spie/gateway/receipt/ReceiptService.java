package fr.spie.gateway.receipt;

import fr.spie.gateway.ledger.MerkleHash;
import fr.spie.gateway.ledger.db.LedgerWriter;
import fr.spie.gateway.store.StoredExchange;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Signed receipts of accepted exchanges: a compact JWS ({@link GatewaySignatures#signReceipt}) over the exchange id,
 * the sender, the payload and content digests, the time of receipt, the audit sequence number of the RECEIVED event
 * and — once the ledger writer has appended that event — its ledger index and leaf hash. The claims come only from
 * stored facts, and Ed25519 signatures are deterministic: the receipt of an exchange is the same token each time it is
 * asked for (a resubmission gets the very same receipt), except that it gains its ledger index when that is known.
 */
@Service
@EnableConfigurationProperties(ReceiptSettings.class)
public class ReceiptService {
    private static final long POLL_MILLIS = 10;

    private final JdbcTemplate jdbc;
    private final LedgerWriter ledger;
    private final GatewaySignatures signatures;
    private final ReceiptSettings settings;
    /** Answers waiting for the ledger index of a RECEIVED event, by its audit seq. */
    private final Map<Long, CompletableFuture<Received>> waiting = new ConcurrentHashMap<>();

    public ReceiptService(JdbcTemplate jdbc, LedgerWriter ledger, GatewaySignatures signatures,
                          ReceiptSettings settings) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.signatures = signatures;
        this.settings = settings;
        ledger.onAppended(this::appended);
    }

    /**
     * A signed receipt.
     *
     * @param token the compact JWS
     * @param ledgered whether it carries the ledger index (final); if not, {@code GET .../receipt} gives it later
     */
    public record Receipt(String token, boolean ledgered, Long ledgerIndex) {
    }

    /** The receipt of {@code exchange}, waiting up to {@code spie.receipts.ledger-wait} for its ledger index. */
    public Receipt receipt(StoredExchange exchange) {
        return receipt(exchange, settings.ledgerWait());
    }

    /**
     * The receipt, waiting up to {@code wait} for the ledger index of the RECEIVED event: told by the ledger writer
     * when it runs in this instance, else (another instance leads) by reading the database every {@value #POLL_MILLIS}
     * ms.
     */
    public Receipt receipt(StoredExchange exchange, Duration wait) {
        Received received = received(exchange).orElseThrow(() -> new IllegalStateException(
                "exchange " + exchange.exchangeId() + " has no RECEIVED audit event"));
        if (received.ledgerIndex() == null && !wait.isZero()) {
            received = ledger.isRunning() ? awaitLocalWriter(exchange, received, wait) : poll(exchange, received, wait);
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", settings.issuer());
        claims.put("exchangeId", exchange.exchangeId().toString());
        claims.put("source", exchange.sourcePartner());
        claims.put("recordType", exchange.recordType());
        claims.put("payloadDigest", exchange.payloadDigest());
        claims.put("contentDigest", exchange.contentDigest());
        claims.put("receivedAt", exchange.receivedAt().toString());
        claims.put("auditSeq", received.seq());
        if (received.ledgerIndex() != null) {
            claims.put("ledgerIndex", received.ledgerIndex());
            claims.put("leafHash", received.leafHash());
        }
        return new Receipt(signatures.signReceipt(claims), received.ledgerIndex() != null, received.ledgerIndex());
    }

    private record Received(long seq, Long ledgerIndex, String leafHash) {
    }

    /** Waits for this instance's ledger writer to tell that it appended the event (no query meanwhile). */
    private Received awaitLocalWriter(StoredExchange exchange, Received received, Duration wait) {
        CompletableFuture<Received> told = waiting.computeIfAbsent(received.seq(), seq -> new CompletableFuture<>());
        try {
            // appended between the first read and the registration: the writer told nobody
            Received again = received(exchange).orElseThrow();
            if (again.ledgerIndex() != null) {
                return again;
            }
            ledger.wakeUp();
            return told.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return received(exchange).orElseThrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return received;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            waiting.remove(received.seq(), told);
        }
    }

    private void appended(LedgerWriter.Appended appended) {
        if (waiting.isEmpty()) {
            return;
        }
        long[] seqs = appended.seqs();
        for (int i = 0; i < seqs.length; i++) {
            CompletableFuture<Received> told = waiting.remove(seqs[i]);
            if (told != null) {
                told.complete(new Received(seqs[i], appended.firstIndex() + i,
                        MerkleHash.hex(appended.leafHashes().get(i))));
            }
        }
    }

    private Received poll(StoredExchange exchange, Received received, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (received.ledgerIndex() == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            received = received(exchange).orElseThrow();
        }
        return received;
    }

    private Optional<Received> received(StoredExchange exchange) {
        return jdbc.query("SELECT a.seq, l.ledger_index, l.leaf_hash FROM audit_event a "
                        + "LEFT JOIN ledger_entry l ON l.seq = a.seq WHERE a.exchange_id = ? "
                        + "AND a.event_type = 'RECEIVED' ORDER BY a.seq LIMIT 1",
                (rs, i) -> new Received(rs.getLong(1), (Long) rs.getObject(2, Long.class),
                        rs.getString(3) == null ? null : rs.getString(3).trim()),
                exchange.exchangeId()).stream().findFirst();
    }
}

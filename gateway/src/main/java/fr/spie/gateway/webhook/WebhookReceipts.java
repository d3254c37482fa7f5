package fr.spie.gateway.webhook;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The signed webhook bodies already recorded (table {@code webhook_receipt}): one row per partner and body digest,
 * so that the same body sent again is recognised with one primary-key insert, between instances too.
 */
@Repository
public class WebhookReceipts {
    private final JdbcTemplate jdbc;

    public WebhookReceipts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records that this partner's body was received.
     *
     * @throws org.springframework.dao.DuplicateKeyException when it already was (the caller's transaction must then
     *                                                       be rolled back)
     */
    public void record(String partnerId, String bodyDigest, Instant at) {
        jdbc.update("INSERT INTO webhook_receipt (partner_id, body_digest, received_at) VALUES (?,?,?)", partnerId,
                bodyDigest, Timestamp.from(at));
    }
}

package fr.spie.gateway.consent;

import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Route;
import fr.spie.gateway.routing.RoutingConfigHolder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A delivery released under a consent that was still in flight when the consent was withdrawn: it had started, so it
 * finishes (docs/routing.md, "Withdrawal takes effect at once"), and its recipient then received data about the person
 * on the route. The withdrawal, which found no {@code DELIVERED} event of it, did not notify that recipient: on a route
 * with {@code notifyWithdrawal}, it is sent the withdrawal notice now, once.
 *
 * <p>Race-free with the withdrawal: the check locks the consent's row, which a withdrawal holds from its
 * {@code UPDATE} until its commit. Either the withdrawal read the audit trail after this delivery's {@code DELIVERED}
 * commit (it notified the recipient, and this check finds that notice), or this check waits for the withdrawal's
 * commit and sees it.
 */
@Component
public class LateDisclosures {
    private static final Logger log = LoggerFactory.getLogger(LateDisclosures.class);

    private final ConsentStore store;
    private final WithdrawalNotices notices;
    private final RoutingConfigHolder config;
    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;

    public LateDisclosures(ConsentStore store, WithdrawalNotices notices, RoutingConfigHolder config,
                           TransactionTemplate tx, JdbcTemplate jdbc) {
        this.store = store;
        this.notices = notices;
        this.config = config;
        this.tx = tx;
        this.jdbc = jdbc;
    }

    /**
     * Called once a delivery released under {@code consentId} on {@code routeId} is recorded {@code DELIVERED}: when
     * the consent is withdrawn by now and the route notifies withdrawals, {@code recipient} is sent the notice unless
     * the withdrawal already sent it one.
     */
    public void delivered(UUID consentId, String routeId, String recipient) {
        boolean queued = Boolean.TRUE.equals(tx.execute(s -> {
            Optional<ConsentStore.Stored> stored = store.findLocked(consentId);
            if (stored.isEmpty()) {
                return false;
            }
            Consent consent = stored.get().consent();
            if (consent.withdrawnAt() == null || consent.withdrawnAt().isAfter(Instant.now())) {
                return false;
            }
            GatewayConfig current = config.current();
            Route route = current.routes().stream().filter(r -> r.id().equals(routeId)).findFirst().orElse(null);
            if (route == null || !route.notifyWithdrawal() || notified(consent, routeId, recipient)) {
                return false;
            }
            notices.notice(consent, stored.get().subjectJson(), route, List.of(recipient), current.version());
            return true;
        }));
        if (queued) {
            log.info("consent {} was withdrawn while a record released under it was being delivered to {} (route "
                    + "'{}'): withdrawal notice queued for it", consentId, recipient, routeId);
            notices.wakeUp();
        }
    }

    /** Whether a withdrawal notice of this consent on this route was already sent to the recipient. */
    private boolean notified(Consent consent, String routeId, String recipient) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM audit_event a JOIN delivery d ON d.exchange_id = a.exchange_id "
                        + "WHERE a.subject_pseudonym = ? AND a.event_type = 'RECEIVED' AND a.record_type = ? "
                        + "AND a.detail = ? AND d.recipient = ? AND d.route_id = ?", Long.class, consent.subject(),
                WithdrawalNotices.NOTICE_TYPE, WithdrawalNotices.receivedDetail(consent.id(), routeId), recipient,
                routeId);
        return n != null && n > 0;
    }
}

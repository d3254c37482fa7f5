package fr.spie.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.consent.ConsentCheck;
import fr.spie.gateway.routing.RoutingDecision;
import fr.spie.gateway.store.DeliveryRow;
import fr.spie.gateway.store.DeliveryStatus;
import fr.spie.gateway.store.StoredExchange;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExchangeStatusViewTest {
    private static List<DeliveryRow> rows(DeliveryStatus... statuses) {
        return Arrays.stream(statuses).map(s -> new DeliveryRow("p", "r", s, 1, null, null, null)).toList();
    }

    @Test
    void theOverallStatusIsPendingUntilEveryRecipientIsSettled() {
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)))
                .isEqualTo("PENDING");
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.PENDING))).isEqualTo("PENDING");
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.DELIVERED, DeliveryStatus.DEAD_LETTERED)))
                .isEqualTo("DEAD_LETTERED");
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.DELIVERED, DeliveryStatus.BLOCKED)))
                .isEqualTo("DELIVERED");
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.BLOCKED))).isEqualTo("BLOCKED");
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.DELIVERED, DeliveryStatus.DISCARDED)))
                .isEqualTo("DISCARDED");
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.DISCARDED, DeliveryStatus.DEAD_LETTERED)))
                .isEqualTo("DEAD_LETTERED");
    }

    private static final StoredExchange EXCHANGE = new StoredExchange(UUID.randomUUID(), "cd-51", "diagnostic", "1.0",
            "social-support", "consent", "a".repeat(64), "b".repeat(64), "c".repeat(64), "d".repeat(64),
            Instant.now());
    private static final String CONSENT = "7c1e0b2a-3f4d-4e5f-8a9b-0c1d2e3f4a5b";
    /** A reason that names a consent, its controllers and who withdrew it, and does not start with "[consent-". */
    private static final String REASON = "at replay: [consent-withdrawn] route 'diagnostic-cd-to-ml-consent' needs "
            + "the person's consent: consent " + CONSENT + " was withdrawn at 2026-11-29T10:00:00Z (recorded by ft-51)";

    private static ExchangeStatusView.DeliveryView blocked(String rule, boolean forSender) {
        DeliveryRow row = new DeliveryRow("ml-reims", "diagnostic-cd-to-ml-consent", DeliveryStatus.BLOCKED, 0, REASON,
                Instant.now(), null, null, null, rule);
        return ExchangeStatusView.of(EXCHANGE, List.of(row), forSender).deliveries().get(0);
    }

    @Test
    void theSenderReadsTheBlockRuleInAFixedSentenceNeverTheRecordedReason() {
        ExchangeStatusView.DeliveryView sender = blocked(ConsentCheck.WITHDRAWN, true);
        assertThat(sender.blockRule()).isEqualTo("consent-withdrawn");
        assertThat(sender.lastError()).startsWith("[consent-withdrawn] the route needs the person's consent and ")
                .doesNotContain(CONSENT, "ft-51", "diagnostic-cd-to-ml-consent", "2026-11-29");

        ExchangeStatusView.DeliveryView admin = blocked(ConsentCheck.WITHDRAWN, false);
        assertThat(admin.blockRule()).isEqualTo("consent-withdrawn");
        assertThat(admin.lastError()).isEqualTo(REASON);
    }

    @Test
    void aDeliveryBlockedBeforeTheRuleWasRecordedReadsAsBlockedByThePolicy() {
        ExchangeStatusView.DeliveryView sender = blocked(null, true);
        assertThat(sender.blockRule()).isNull();
        assertThat(sender.lastError()).isEqualTo(SenderBlockReasons.UNKNOWN_RULE)
                .startsWith("the routing policy blocked this delivery");
        assertThat(blocked(null, false).lastError()).isEqualTo(REASON);
        // a value that is not a rule code is not shown either
        assertThat(blocked("consent " + CONSENT, true).lastError()).isEqualTo(SenderBlockReasons.UNKNOWN_RULE);
        assertThat(blocked("consent " + CONSENT, true).blockRule()).isNull();
    }

    @Test
    void failuresAreShownAsRecordedAndCarryNoRule() {
        DeliveryRow failed = new DeliveryRow("ft-51", "r", DeliveryStatus.FAILED, 2, "HTTP 503", Instant.now(), null,
                null, null, null);
        ExchangeStatusView.DeliveryView view = ExchangeStatusView.of(EXCHANGE, List.of(failed), true).deliveries()
                .get(0);
        assertThat(view.lastError()).isEqualTo("HTTP 503");
        assertThat(view.blockRule()).isNull();
    }

    @Test
    void everyRuleThatBlocksHasASentenceOfItsOwn() throws IllegalAccessException {
        Set<String> releasing = Set.of(RoutingDecision.RELEASED, RoutingDecision.CONSENT_NOT_CHECKED,
                ConsentCheck.GRANTED);
        List<String> blocking = new ArrayList<>();
        for (Class<?> rules : List.of(RoutingDecision.class, ConsentCheck.class)) {
            for (Field f : rules.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && Modifier.isPublic(f.getModifiers())
                        && f.getType() == String.class && !releasing.contains((String) f.get(null))) {
                    blocking.add((String) f.get(null));
                }
            }
        }
        assertThat(blocking).hasSize(12).allSatisfy(rule -> {
            assertThat(SenderBlockReasons.worded(rule)).as(rule).isTrue();
            assertThat(SenderBlockReasons.of(rule)).startsWith("[" + rule + "] ");
        });
    }
}

package fr.spie.gateway.consent;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.LegalBasis;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.PartnerKind;
import fr.spie.gateway.config.Route;
import fr.spie.gateway.store.ExchangeStore;
import fr.spie.gateway.store.StoredExchange;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which routes' recipients get a withdrawal notice: those of the routes that rest on the withdrawn consent. */
class WithdrawalNoticesTest {
    static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");

    /** Notices written (their routes), without a database. */
    static final class RecordingStore extends ExchangeStore {
        final List<String> noticeRoutes = new ArrayList<>();

        RecordingStore() {
            super(null);
        }

        @Override
        public void insert(StoredExchange e, String envelopeJson) {
            noticeRoutes.add(envelopeJson.replaceAll(".*\"routeId\":\"([^\"]+)\".*", "$1"));
        }

        @Override
        public void insertDeliveries(UUID exchangeId, List<NewDelivery> deliveries, Instant now) {
        }
    }

    static final class NoAudit extends AuditTrail {
        NoAudit() {
            super(null, null);
        }

        @Override
        public void appendAll(List<AuditEvent> events) {
        }
    }

    /** Every candidate received data about the person on every route. */
    static final class EveryoneReceived extends DisclosedRecipients {
        EveryoneReceived() {
            super(null);
        }

        @Override
        public Set<String> amongst(Consent consent, String routeId, Collection<String> candidates) {
            return Set.copyOf(candidates);
        }
    }

    static Route diagnosticRoute(String id, String from) {
        return new Route(id, "d", Set.of("diagnostic"), Set.of(from), List.of("ml-reims"), "social-support",
                new LegalBasis("consent", "RGPD art. 6(1)(a)"), null, Map.of(), true);
    }

    /**
     * The person consented to the département sharing its diagnostics with the mission locale, and separately to
     * France Travail sharing its own. Withdrawing the first sent a notice on France Travail's route too, which does
     * not rest on it (the routing policy never releases France Travail's records on it: consent-controller), with the
     * subject as given to the département.
     */
    @Test
    void aWithdrawalNotifiesOnlyTheRoutesWhoseSenderTheConsentWasGivenTo() {
        GatewayConfig config = new GatewayConfig("0123456789abcdef", NOW, Path.of("."), List.of(
                new Partner("ml-reims", PartnerKind.MISSION_LOCALE, "ML", Set.of(), null)),
                List.of(diagnosticRoute("diag-cd-to-ml", "cd-51"), diagnosticRoute("diag-ft-to-ml", "ft-51")),
                List.of());
        Consent toTheDepartement = new Consent(UUID.randomUUID(), "p".repeat(64), List.of("cd-51"),
                List.of("ml-reims"), List.of("social-support"), List.of(new Consent.DataCategory("diagnostic", null)),
                new LegalBasis("consent", "RGPD art. 6(1)(a)"), new Consent.CollectedBy("cd-51", "ref-1"),
                "signed-form", "GED-1", "v1", NOW.minusSeconds(3600), null, NOW, "cd-51", List.of());
        RecordingStore store = new RecordingStore();

        new WithdrawalNotices(store, new NoAudit(), null, new EveryoneReceived())
                .enqueue(toTheDepartement, "{\"nir\": \"2850775056001\"}", config);

        assertThat(store.noticeRoutes).containsExactly("diag-cd-to-ml");
    }
}

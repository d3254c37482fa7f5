package fr.spie.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.config.Delivery;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.PartnerKind;
import fr.spie.gateway.consent.WithdrawalNotices;
import fr.spie.gateway.delivery.DeliveryTask;
import fr.spie.gateway.store.StoredExchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the release gate hands a recipient when the configuration changed while the record was queued. */
class ReleaseGateTest {
    static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");
    static final String NIR = "2850775056001";
    static final String NOTICE = "{\"noticeType\": \"consent-withdrawn\", \"exchangeId\": \"" + UUID.randomUUID()
            + "\", \"source\": \"gateway\", \"routeId\": \"diag-consent\", \"consentId\": \"" + UUID.randomUUID()
            + "\", \"purposes\": [\"social-support\"], \"subject\": {\"nir\": \"" + NIR + "\", \"birthName\": "
            + "\"MARTIN\", \"givenNames\": [\"ANNE\"], \"birthDate\": \"1985-07-14\"}}";

    static GatewayConfig config(Partner... partners) {
        return new GatewayConfig("0123456789abcdef", NOW, Path.of("."), List.of(partners), List.of(), List.of());
    }

    static Delivery withoutNir() {
        return new Delivery(URI.create("http://localhost:18104/spie/v1/records"), Duration.ofSeconds(2),
                Duration.ofSeconds(10), 6, Duration.ofMillis(500), 2.0, Duration.ofSeconds(60), 0.2, null, null, null,
                List.of("birthName", "givenNames", "birthDate", "identifiers"));
    }

    static DeliveryTask noticeTo(String recipient) {
        StoredExchange notice = new StoredExchange(UUID.randomUUID(), "gateway", WithdrawalNotices.NOTICE_TYPE, "1.0",
                "social-support", "legal-obligation", "d", "d", "p".repeat(64), "0123456789abcdef", NOW);
        return new DeliveryTask(notice, recipient, "diag-consent", 1, NOTICE);
    }

    /**
     * A recipient whose settings leave the NIR out is taken out of the routes and of partners.yaml (or loses its
     * delivery block) while a withdrawal notice to it is queued: its consumer still runs until the next start. The
     * notice was sent with the whole subject, NIR included ("no subjectFields" read as "the whole subject").
     */
    @Test
    void aWithdrawalNoticeWaitsRatherThanGoWithTheWholeSubjectWhenItsRecipientLostItsDelivery() {
        RoutingConfigHolder holder = new RoutingConfigHolder(config(
                new Partner("ml-reims", PartnerKind.MISSION_LOCALE, "ML", Set.of(), withoutNir())));
        ReleaseGate gate = new ReleaseGate(holder, person -> List.of(), null, null, null);

        Optional<ReleaseGate.Release> configured = gate.release(noticeTo("ml-reims"));
        assertThat(configured).isPresent();
        assertThat(new String(configured.get().body(), StandardCharsets.UTF_8)).contains("MARTIN").doesNotContain(NIR);

        holder.replace(config(new Partner("ml-reims", PartnerKind.MISSION_LOCALE, "ML", Set.of(), null)));
        assertThat(gate.release(noticeTo("ml-reims"))).isEmpty();
        holder.replace(config());
        assertThat(gate.release(noticeTo("ml-reims"))).isEmpty();
        // a replay of it is still allowed: it is delivered once the recipient has a delivery again
        assertThat(gate.decide(noticeTo("ml-reims")).deliver()).isTrue();
    }
}

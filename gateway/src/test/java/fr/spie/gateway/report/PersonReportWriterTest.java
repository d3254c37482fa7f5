package fr.spie.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.LegalBasis;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.PartnerKind;
import fr.spie.gateway.config.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PersonReportWriterTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final GatewayConfig CONFIG = new GatewayConfig("v", NOW, Path.of("."),
            List.of(new Partner("caf-51", PartnerKind.CAF, "CAF de la Marne", Set.of(), null),
                    new Partner("cd-51", PartnerKind.DEPARTEMENT, "Conseil départemental de la Marne", Set.of(), null)),
            List.of(new Route("rsa", "", Set.of("rsa-situation"), Set.of("caf-51"), List.of("cd-51"),
                    "rsa-orientation", new LegalBasis("legal-obligation", "CASF art. L262-40"))),
            List.of());

    private static AuditEvent event(AuditEventType type, String purpose, Instant at) {
        return new AuditEvent(1, at, type, UUID.randomUUID(), "gateway", "caf-51", "cd-51", "rsa-situation", "rsa",
                purpose, "legal-obligation", "v", "d".repeat(64), "p".repeat(64), null);
    }

    @Test
    void eachDeliveryIsToldInPlainFrenchWithWhoWhatWhenWhyAndOnWhichBasis() {
        PersonAccessReport report = new PersonReportWriter(new PersonReportPolicy(Set.of(), Map.of())).write(
                List.of(event(AuditEventType.ROUTED, "rsa-orientation", NOW.minusSeconds(120)),
                        event(AuditEventType.DELIVERED, "rsa-orientation", Instant.parse("2025-03-03T06:20:02Z"))),
                List.of("NIR"), CONFIG, NOW);

        assertThat(report.entries()).hasSize(1);
        assertThat(report.text())
                .contains("le 3 mars 2025 à 07h20, Conseil départemental de la Marne a reçu votre situation au "
                        + "regard du RSA, transmis(e) par CAF de la Marne, pour l'orientation des bénéficiaires du "
                        + "RSA. Fondement : une obligation légale (CASF art. L262-40).")
                .contains("recherché(e) par : NIR");
    }

    @Test
    void hiddenPurposesAreNotToldAndDelayedOnesOnlyOnceTheDelayIsOver() {
        PersonReportWriter writer = new PersonReportWriter(new PersonReportPolicy(Set.of("fraud-inquiry"),
                Map.of("rsa-follow-up", Duration.ofDays(30))));
        PersonAccessReport report = writer.write(List.of(
                event(AuditEventType.DELIVERED, "fraud-inquiry", NOW.minusSeconds(60)),
                event(AuditEventType.DELIVERED, "rsa-follow-up", NOW.minus(Duration.ofDays(2))),
                event(AuditEventType.DELIVERED, "rsa-follow-up", NOW.minus(Duration.ofDays(40)))),
                List.of("NIR"), CONFIG, NOW);

        assertThat(report.entries()).hasSize(1);
        assertThat(report.withheld()).isEqualTo(1);
        assertThat(report.text()).contains("Un autre envoi sera indiqué ultérieurement").doesNotContain("fraud");
    }

    /**
     * A delivery an admin queued again after a restore (PendingDeliveriesRequeue) is acknowledged a second time, with
     * the same Idempotency-Key: two DELIVERED events of one exchange and recipient, which the report listed twice.
     */
    @Test
    void aDeliveryAcknowledgedTwiceIsToldOnceAtItsFirstAcknowledgement() {
        AuditEvent first = event(AuditEventType.DELIVERED, "rsa-orientation", NOW.minusSeconds(3600));
        AuditEvent again = new AuditEvent(2, NOW.minusSeconds(60), AuditEventType.DELIVERED, first.exchangeId(),
                "gateway", "caf-51", "cd-51", "rsa-situation", "rsa", "rsa-orientation", "legal-obligation", "v",
                "d".repeat(64), "p".repeat(64), "acknowledged at attempt 1");
        AuditEvent toAnother = new AuditEvent(3, NOW.minusSeconds(30), AuditEventType.DELIVERED, first.exchangeId(),
                "gateway", "caf-51", "ml-reims", "rsa-situation", "rsa", "rsa-orientation", "legal-obligation", "v",
                "d".repeat(64), "p".repeat(64), "acknowledged at attempt 1");

        PersonAccessReport report = TELLS_ALL.write(List.of(first, again, toAnother), List.of("NIR"), CONFIG, NOW);

        assertThat(report.entries()).extracting(PersonAccessReport.Entry::recipient, PersonAccessReport.Entry::deliveredAt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Conseil départemental de la Marne",
                        first.recordedAt()), org.assertj.core.groups.Tuple.tuple("ml-reims", toAnother.recordedAt()));
        assertThat(report.text()).contains("2 envois de vos données");
    }

    @Test
    void theFirstOfTheMonthIsWrittenAsAnOrdinal() {
        assertThat(PersonReportWriter.day(java.time.LocalDate.of(2025, 3, 1))).isEqualTo("1er mars 2025");
        assertThat(PersonReportWriter.day(java.time.LocalDate.of(2025, 3, 2))).isEqualTo("2 mars 2025");
        assertThat(PersonReportWriter.day(java.time.LocalDate.of(2025, 3, 11))).isEqualTo("11 mars 2025");
    }

    @Test
    void nobodyReceivedAnythingIsSaidToo() {
        PersonAccessReport report = new PersonReportWriter(new PersonReportPolicy(null, null))
                .write(List.of(), List.of("NIR"), CONFIG, NOW);
        assertThat(report.text()).contains("Aucun organisme n'a reçu de données vous concernant");
    }

    private static final PersonReportWriter TELLS_ALL = new PersonReportWriter(new PersonReportPolicy(null, null));

    /** The notice the gateway itself sends a recipient when the person withdraws a consent (WithdrawalNotices). */
    @Test
    void aWithdrawalNoticeIsToldAsSuchAndAsSentByTheGateway() {
        AuditEvent notice = new AuditEvent(1, Instant.parse("2025-03-03T06:20:02Z"), AuditEventType.DELIVERED,
                UUID.randomUUID(), "gateway", "gateway", "cd-51", "consent-withdrawal", "rsa", "rsa-follow-up",
                "legal-obligation", "v", "d".repeat(64), "p".repeat(64), null);

        String text = TELLS_ALL.write(List.of(notice), List.of("NIR"), CONFIG, NOW).text();

        assertThat(text).contains("Conseil départemental de la Marne a reçu l'information du retrait de votre "
                + "consentement, transmis(e) par la passerelle SPIE, pour le suivi du parcours d'insertion des "
                + "bénéficiaires du RSA. Fondement : une obligation légale (RGPD art. 19).")
                .doesNotContain("consent-withdrawal").doesNotContain("par gateway");
    }

    @Test
    void thePurposesOfTheExampleConfigurationAreInFrenchAndOthersNamedAsPurposes() {
        String text = TELLS_ALL.write(List.of(event(AuditEventType.DELIVERED, "social-support", NOW),
                event(AuditEventType.DELIVERED, "housing-survey", NOW)), List.of("NIR"), CONFIG, NOW).text();

        assertThat(text).contains("pour l'accompagnement social.").contains("pour la finalité « housing-survey ».");
    }

    @Test
    void whenEveryDeliveryIsWithheldTheReportDoesNotSayThatNobodyReceivedAnything() {
        PersonReportWriter writer = new PersonReportWriter(new PersonReportPolicy(Set.of(),
                Map.of("rsa-follow-up", Duration.ofDays(30))));

        String text = writer.write(List.of(event(AuditEventType.DELIVERED, "rsa-follow-up", NOW.minusSeconds(60))),
                List.of("NIR"), CONFIG, NOW).text();

        assertThat(text).doesNotContain("Aucun organisme n'a reçu").doesNotContain("autre envoi")
                .contains("Un envoi de vos données sera indiqué ultérieurement");
    }

    @Test
    void aReportCutAtItsLimitDoesNotLetTheHiddenDeliveriesBeCounted() {
        PersonReportWriter writer = new PersonReportWriter(new PersonReportPolicy(Set.of("fraud-inquiry"), null));

        String text = writer.write(List.of(event(AuditEventType.DELIVERED, "fraud-inquiry", NOW.minusSeconds(60)),
                event(AuditEventType.DELIVERED, "fraud-inquiry", NOW.minusSeconds(50)),
                event(AuditEventType.DELIVERED, "rsa-orientation", NOW.minusSeconds(40))), false, List.of("NIR"),
                CONFIG, NOW).text();

        assertThat(text).contains("Un envoi de vos données a eu lieu").contains("ne montre que les premiers envois")
                .doesNotContain("3 premiers");
    }
}

package fr.spie.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditQueries;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.PartnerKind;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.security.GatewayPrincipal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

class PersonReportControllerTest {
    private static final GatewayConfig CONFIG = new GatewayConfig("v", Instant.parse("2026-01-01T00:00:00Z"),
            Path.of("."), List.of(), List.of(), List.of());

    /** The audit trail of a person who received more deliveries than a report lists. */
    private static final class ManyDeliveries extends AuditQueries {
        private final int deliveries;

        ManyDeliveries(int deliveries) {
            super(null);
            this.deliveries = deliveries;
        }

        @Override
        public List<AuditEvent> aboutPerson(Collection<String> pseudonyms, AuditEventType type, int limit) {
            Instant first = Instant.parse("2025-01-06T09:00:00Z");
            return IntStream.range(0, Math.min(limit, deliveries)).mapToObj(i -> new AuditEvent(i + 1,
                    first.plusSeconds(60L * i), AuditEventType.DELIVERED, UUID.randomUUID(), "gateway", "caf-51",
                    "cd-51", "rsa-situation", "rsa", "rsa-orientation", "legal-obligation", "v", "d".repeat(64),
                    "p".repeat(64), null)).toList();
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final GatewayPrincipal AUDITOR = new GatewayPrincipal("test-auditor", GatewayPrincipal.Role.AUDITOR);

    /** The audit trail the report's own event goes to. */
    private static final class RecordedEvents extends AuditTrail {
        final List<AuditEvent> events = new ArrayList<>();

        RecordedEvents() {
            super(null, null);
        }

        @Override
        public void appendAll(List<AuditEvent> appended) {
            events.addAll(appended);
        }
    }

    private final RecordedEvents audit = new RecordedEvents();

    private PersonReportController controller(int deliveries) {
        return new PersonReportController(new ManyDeliveries(deliveries), new Pseudonymizer(new byte[32]),
                new RoutingConfigHolder(CONFIG), audit, new PersonReportPolicy(Set.of(), Map.of()));
    }

    private PersonAccessReport report(int deliveries) {
        return controller(deliveries).report(JSON.createObjectNode().put("nir", "1850551108031"), AUDITOR);
    }

    @Test
    void aKeyThatCanNameNobodyIsA400NotAReportThatNobodyReceivedAnything() {
        for (String subject : List.of("{\"identifiers\": [{\"scheme\": \"caf-matricule\"}]}",
                "{\"identifiers\": [{\"value\": \"2055990\"}]}",
                "{\"nir\": \"185055110803\"}",
                "{\"nir\": \"1850551108031\", \"identifiers\": [{\"scheme\": \"caf-matricule\", \"value\": \" \"}]}")) {
            assertThatThrownBy(() -> controller(1).report(JSON.readTree(subject), AUDITOR)).as(subject)
                    .isInstanceOfSatisfying(IntakeRejection.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).doesNotContain("2055990").doesNotContain("18505511080");
                    });
        }
        assertThat(audit.events).isEmpty();
        assertThat(controller(1).report(JSON.readTree("{\"nir\": \"1 85 05 51 108 031 44\"}"), AUDITOR).entries())
                .hasSize(1);
    }

    /** The pseudonyms a report searched. */
    private static final class SearchedPseudonyms extends AuditQueries {
        final List<String> searched = new ArrayList<>();

        SearchedPseudonyms() {
            super(null);
        }

        @Override
        public List<AuditEvent> aboutPerson(Collection<String> pseudonyms, AuditEventType type, int limit) {
            searched.addAll(pseudonyms);
            return List.of();
        }
    }

    /**
     * A departement-id names a person within its département only: cd-51 acting for the person names them by its
     * own id as its exchanges were keyed (with cd-51 as issuer); an auditor must say whose id it is.
     */
    @Test
    void aDepartementIdIsSearchedWithItsIssuerAndWithoutOneOnlyForTheDepartementItself() {
        GatewayConfig withCd51 = new GatewayConfig("v", Instant.parse("2026-01-01T00:00:00Z"), Path.of("."),
                List.of(new Partner("cd-51", PartnerKind.DEPARTEMENT, "Marne", Set.of(), null, null,
                        Set.of(fr.spie.gateway.config.AuthMethod.TOKEN), null, null, true)), List.of(), List.of());
        SearchedPseudonyms queries = new SearchedPseudonyms();
        PersonReportController controller = new PersonReportController(queries, new Pseudonymizer(new byte[32]),
                new RoutingConfigHolder(withCd51), audit, new PersonReportPolicy(Set.of(), Map.of()));
        String ownId = "{\"identifiers\": [{\"scheme\": \"departement-id\", \"value\": \"123\"}]}";

        controller.report(JSON.readTree(ownId), new GatewayPrincipal("cd-51", GatewayPrincipal.Role.PARTNER));
        assertThat(queries.searched).containsExactly(new Pseudonymizer(new byte[32]).pseudonym(
                "id:departement-id@CD51:123"));

        assertThatThrownBy(() -> controller.report(JSON.readTree(ownId), AUDITOR))
                .isInstanceOfSatisfying(IntakeRejection.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.pointer())
                            .isEqualTo("/identifiers/0/issuer"));
                });
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = fr.spie.gateway.cli.SpieCli.commandLine();
        cli.setErr(new java.io.PrintWriter(err));
        assertThat(cli.execute("audit", "report", "--data-dir", "no-such-dir", "--identifier", "departement-id:123"))
                .as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("cannot name a person", "issuer");
    }

    @Test
    void theCommandLineRefusesTheSameKeysAsAnInvalidCommandLine() {
        for (String[] key : List.of(new String[] {"--identifier", "caf-matricule: "},
                new String[] {"--nir", "18505511080"})) {
            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine cli = fr.spie.gateway.cli.SpieCli.commandLine();
            cli.setErr(new java.io.PrintWriter(err));
            int exit = cli.execute("audit", "report", "--data-dir", "no-such-dir", key[0], key[1]);
            assertThat(exit).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).contains("cannot name a person").doesNotContain("18505511080");
        }
    }

    @Test
    void aReportCutAtItsLimitSaysThatLaterDeliveriesAreMissing() {
        PersonAccessReport report = report(10_500);

        assertThat(report.entries()).hasSize(10_000);
        assertThat(report.complete()).isFalse();
        assertThat(report.text()).contains("10000 envois de vos données ont eu lieu")
                .contains("ne montre que les premiers envois");
        assertThat(audit.events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(AuditEventType.PERSON_REPORT_PRODUCED);
            assertThat(e.actor()).isEqualTo("test-auditor");
            assertThat(e.detail()).isEqualTo("searched by NIR; 10000 deliveries reported (more than the report's limit)");
        });
    }

    @Test
    void aReportWithinItsLimitIsComplete() {
        PersonAccessReport report = report(10_000);

        assertThat(report.entries()).hasSize(10_000);
        assertThat(report.complete()).isTrue();
        assertThat(report.text()).doesNotContain("premiers envois");
    }

    /**
     * The settings in the form config/README.md gives are applied; a YAML list or map there, which the gateway reads
     * as no value, stops the gateway instead of telling every purpose.
     */
    @Test
    void aYamlListOrMapOfPurposesStopsTheGatewayRatherThanBeingIgnored() {
        ApplicationContextRunner gateway = new ApplicationContextRunner()
                .withBean(AuditQueries.class, () -> new ManyDeliveries(1))
                .withBean(Pseudonymizer.class, () -> new Pseudonymizer(new byte[32]))
                .withBean(RoutingConfigHolder.class, () -> new RoutingConfigHolder(CONFIG))
                .withBean(AuditTrail.class, RecordedEvents::new)
                .withBean(PersonReportController.class);

        gateway.withPropertyValues("spie.audit.person-report.hidden-purposes=rsa-orientation, fraud-inquiry")
                .run(context -> assertThat(context.getBean(PersonReportController.class)
                        .report(JSON.createObjectNode().put("nir", "1850551108031"), AUDITOR).entries()).isEmpty());
        for (String yaml : List.of("spie.audit.person-report.hidden-purposes[0]=rsa-orientation",
                "spie.audit.person-report.delayed-purposes.rsa-orientation=P90D")) {
            gateway.withPropertyValues(yaml).run(context -> assertThat(context).as(yaml).hasFailed()
                    .getFailure().rootCause().hasMessageContaining("write it as one string"));
        }
    }
}

package fr.spie.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditQueries;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.GatewayConfig;
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

    private PersonAccessReport report(int deliveries) {
        PersonReportController controller = new PersonReportController(new ManyDeliveries(deliveries),
                new Pseudonymizer(new byte[32]), new RoutingConfigHolder(CONFIG), audit, Set.of(), Map.of());
        return controller.report(JsonMapper.builder().build().createObjectNode().put("nir", "1850551108031"),
                new GatewayPrincipal("test-auditor", GatewayPrincipal.Role.AUDITOR));
    }

    @Test
    void aReportCutAtItsLimitSaysThatLaterDeliveriesAreMissing() {
        PersonAccessReport report = report(10_500);

        assertThat(report.entries()).hasSize(10_000);
        assertThat(report.complete()).isFalse();
        assertThat(report.text()).contains("10000 envois de vos données ont eu lieu")
                .contains("ne montre que les 10000 premiers envois");
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
}

package fr.spie.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.schema.SpieSchemas;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class DemoTrafficTest {

    @Test
    void everyExampleSubmittedOnTheFirstSecondOfAMinuteIsStillValid() throws Exception {
        // OffsetDateTime.toString() wrote 2026-12-07T09:18:00 as "2026-12-07T09:18Z", not RFC 3339: the demo's
        // examples answered 400 one second a minute (a CI run failed on it)
        DemoTraffic traffic = new DemoTraffic(Clock.fixed(Instant.parse("2026-12-07T09:18:00Z"), ZoneOffset.UTC));
        assertThat(traffic.examples()).hasSize(traffic.exampleCount()).isNotEmpty();
        for (ObjectNode example : traffic.examples()) {
            ObjectNode envelope = traffic.fresh(example);
            assertThat(envelope.path("occurredAt").asString()).isEqualTo("2026-12-07T09:18:00Z");
            assertThat(envelope.path("exchangeId").asString()).isNotEqualTo(example.path("exchangeId").asString());
            assertThat(SpieSchemas.load().validateEnvelope(envelope)).as(example.path("recordType").asString())
                    .isEmpty();
        }
    }
}

package fr.spie.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.config.Delivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RecipientBreakerTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final RecipientBreaker breaker = new RecipientBreaker("ml-reims",
            new Delivery.Outage(3, Duration.ofSeconds(30)), clock);

    @Test
    void opensAfterConsecutiveTemporaryFailuresOnly() {
        assertThat(breaker.failedTemporarily()).isFalse();
        assertThat(breaker.failedTemporarily()).isFalse();
        breaker.answered();
        assertThat(breaker.failedTemporarily()).as("an answer resets the count").isFalse();
        assertThat(breaker.failedTemporarily()).isFalse();
        assertThat(breaker.failedTemporarily()).isTrue();
        assertThat(breaker.open()).isTrue();
    }

    @Test
    void oneProbePerIntervalWhileOpenAndTheFirstAnswerClosesIt() {
        for (int i = 0; i < 3; i++) {
            breaker.failedTemporarily();
        }
        assertThat(breaker.tryProbe()).as("not before probeEvery").isFalse();
        now = now.plusSeconds(30);
        assertThat(breaker.tryProbe()).isTrue();
        assertThat(breaker.tryProbe()).as("one prober per interval").isFalse();
        assertThat(breaker.failedTemporarily()).as("a failed probe keeps it open").isTrue();
        now = now.plusSeconds(29);
        assertThat(breaker.tryProbe()).isFalse();
        now = now.plusSeconds(1);
        assertThat(breaker.tryProbe()).isTrue();
        breaker.answered();
        assertThat(breaker.open()).isFalse();
        assertThat(breaker.tryProbe()).as("closed: nothing to probe").isFalse();
    }

    @Test
    void recordsInHandThatFailedTheirProbeWhileAWaitingRecordWentThroughNoLongerCountAsAnOutage() {
        java.util.UUID refused = java.util.UUID.randomUUID();
        java.util.UUID waiting = java.util.UUID.randomUUID();
        breaker.holding(refused);
        breaker.holding(waiting);
        for (int i = 0; i < 3; i++) {
            breaker.failedTemporarily();
        }
        assertThat(breaker.probedAlready(refused)).isFalse();
        breaker.probeFailed(refused);
        assertThat(breaker.probedAlready(refused)).as("its probe is done: the next goes to another record").isTrue();
        assertThat(breaker.probedAlready(waiting)).isFalse();

        breaker.answeredWhileRecordsInHandFailed();

        assertThat(breaker.open()).isFalse();
        assertThat(breaker.refusedWhileUp(refused)).isTrue();
        assertThat(breaker.refusedWhileUp(waiting)).as("it never failed a probe").isFalse();
        assertThat(breaker.probedAlready(refused)).as("a new outage starts a new round").isFalse();
        breaker.released(refused);
        assertThat(breaker.refusedWhileUp(refused)).isFalse();
        assertThat(breaker.holds(refused)).isFalse();
    }

    @Test
    void theDrainRateBecomesAnIntervalBetweenDeliveries() {
        assertThat(DeliveryRoutes.intervalMillis(20)).isEqualTo(50);
        assertThat(DeliveryRoutes.intervalMillis(0.5)).isEqualTo(2000);
        assertThat(DeliveryRoutes.intervalMillis(1000)).isEqualTo(1);
    }

    @Test
    void aWaitingRecordKnowsWhenTheNextProbeIsDue() {
        breaker.failedTemporarily();
        breaker.failedTemporarily();
        breaker.failedTemporarily();
        assertThat(breaker.untilNextProbe()).isEqualTo(Duration.ofSeconds(30));
        now = now.plusSeconds(10);
        assertThat(breaker.untilNextProbe()).isEqualTo(Duration.ofSeconds(20));
        now = now.plusSeconds(20);
        assertThat(breaker.untilNextProbe()).isZero();
        assertThat(breaker.tryProbe()).isTrue();
        assertThat(breaker.untilNextProbe()).isEqualTo(Duration.ofSeconds(30));
    }
}

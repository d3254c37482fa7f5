package fr.spie.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

class UnauthenticatedRejectionsTest {
    private static final AuditEvent UNAUTHENTICATED = AuditEvent.of(AuditEventType.REJECTED, null, "anonymous")
            .withDetail("401 unauthenticated");

    private final List<AuditEvent> written = new ArrayList<>();
    private boolean databaseDown;
    private final AuditTrail audit = new AuditTrail(null, null) {
        @Override
        public void appendAll(List<AuditEvent> events) {
            if (databaseDown) {
                throw new DataAccessResourceFailureException("database unavailable");
            }
            written.addAll(events);
        }
    };
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final UnauthenticatedRejections rejections = new UnauthenticatedRejections(audit,
            new RejectionAuditSettings(Duration.ofHours(1), 10, 100), meters);

    @Test
    void theRefusalsCountedWhenTheGatewayStopsAreSummedUpBeforeItStops() {
        for (int i = 0; i < 25; i++) {
            rejections.record(UNAUTHENTICATED, "198.51.100.4");
        }
        assertThat(written).hasSize(10);
        assertThat(meters.get("spie.audit.rejections.suppressed").tag("type", "REJECTED").counter().count())
                .isEqualTo(15);

        rejections.destroy();

        assertThat(written).hasSize(11);
        assertThat(written.get(10).detail()).startsWith("15 more refusals \"401 unauthenticated\" from the same client");
        // nothing would sum up a refusal counted now: it is audited as itself
        assertThat(rejections.record(UNAUTHENTICATED, "198.51.100.4")).isTrue();
        assertThat(written).hasSize(12);
    }

    @Test
    void aSummaryThatCouldNotBeWrittenIsWrittenWithTheNextWindow() {
        for (int i = 0; i < 13; i++) {
            rejections.record(UNAUTHENTICATED, "198.51.100.4");
        }
        databaseDown = true;
        assertThatThrownBy(rejections::closeWindow).isInstanceOf(DataAccessResourceFailureException.class);
        databaseDown = false;
        rejections.record(UNAUTHENTICATED, "198.51.100.4");

        rejections.closeWindow();

        assertThat(written).hasSize(10 + 1 + 1);
        assertThat(written.get(11).detail()).startsWith("3 more ");
    }
}

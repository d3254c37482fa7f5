package fr.spie.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RejectionWindowsTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final AuditEvent UNAUTHENTICATED = AuditEvent.of(AuditEventType.REJECTED, null, "anonymous")
            .withConfigVersion("c".repeat(64)).withDetail("401 unauthenticated");

    private final RejectionWindows windows = new RejectionWindows(
            new RejectionAuditSettings(Duration.ofMinutes(1), 10, 3));

    @Test
    void theFirstRefusalsOfAClientAreAuditedAndTheSummaryCountsTheOthersExactly() {
        int admitted = 0;
        for (int i = 0; i < 500; i++) {
            admitted += windows.admit(UNAUTHENTICATED, "203.0.113.7", T0.plusMillis(i)) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(10);

        List<RejectionWindows.Suppressed> closed = windows.close();
        assertThat(closed).singleElement().satisfies(s -> {
            assertThat(s.count()).isEqualTo(490);
            assertThat(s.first()).isEqualTo(T0.plusMillis(10));
            assertThat(s.last()).isEqualTo(T0.plusMillis(499));
        });
        AuditEvent summary = windows.summaryOf(closed.get(0), T0.plusSeconds(60));
        assertThat(summary.type()).isEqualTo(AuditEventType.REJECTED);
        assertThat(summary.actor()).isEqualTo("anonymous");
        assertThat(summary.configVersion()).isEqualTo("c".repeat(64));
        assertThat(summary.detail()).startsWith("490 more refusals \"401 unauthenticated\" from the same client "
                + "suppressed between 2026-12-07T10:00:00.010Z and 2026-12-07T10:00:00.499Z").doesNotContain("203.0");

        // a new window: audited again, and nothing to sum up when nothing was suppressed
        assertThat(windows.admit(UNAUTHENTICATED, "203.0.113.7", T0.plusSeconds(61))).isTrue();
        assertThat(windows.close()).isEmpty();
    }

    @Test
    void eachKindAndClientHasItsOwnShareAndBeyondMaxKeysTheyAreCountedTogether() {
        AuditEvent webhook = AuditEvent.of(AuditEventType.WEBHOOK_REJECTED, null, "anonymous")
                .withDetail("401 webhook-signature-missing (webhook for partner 'rdvi-51')");
        for (String client : List.of("a", "b")) {
            for (int i = 0; i < 12; i++) {
                windows.admit(UNAUTHENTICATED, client, T0);
            }
        }
        for (int i = 0; i < 12; i++) {
            windows.admit(webhook, "a", T0);
        }
        // three keys tracked: further clients share one tally per event type
        int admitted = 0;
        for (int client = 0; client < 1000; client++) {
            admitted += windows.admit(UNAUTHENTICATED, "c" + client, T0) ? 1 : 0;
        }
        assertThat(admitted).isEqualTo(10);

        List<RejectionWindows.Suppressed> closed = windows.close();
        assertThat(closed).hasSize(4);
        assertThat(closed.stream().mapToLong(RejectionWindows.Suppressed::count).sum()).isEqualTo(2 + 2 + 2 + 990);
        RejectionWindows.Suppressed others = closed.stream().filter(s -> s.key().isOtherSources()).findFirst()
                .orElseThrow();
        assertThat(others.count()).isEqualTo(990);
        assertThat(windows.summaryOf(others, T0).detail()).startsWith("990 more refusals from other clients");
    }

    @Test
    void summariesNotWrittenAreCountedInTheNextWindowAndNothingIsCountedOnceClosedForGood() {
        for (int i = 0; i < 15; i++) {
            windows.admit(UNAUTHENTICATED, "a", T0.plusSeconds(i));
        }
        List<RejectionWindows.Suppressed> failed = windows.close();
        failed.forEach(windows::reopen);
        for (int i = 0; i < 12; i++) {
            windows.admit(UNAUTHENTICATED, "a", T0.plusSeconds(100 + i));
        }
        assertThat(windows.close()).singleElement().satisfies(s -> {
            assertThat(s.count()).isEqualTo(5 + 2);
            assertThat(s.first()).isEqualTo(T0.plusSeconds(10));
            assertThat(s.last()).isEqualTo(T0.plusSeconds(111));
        });

        for (int i = 0; i < 12; i++) {
            windows.admit(UNAUTHENTICATED, "a", T0);
        }
        assertThat(windows.closeForGood()).singleElement().satisfies(s -> assertThat(s.count()).isEqualTo(2));
        assertThat(windows.admit(UNAUTHENTICATED, "a", T0)).as("audited: no summary would be written").isTrue();
    }
}

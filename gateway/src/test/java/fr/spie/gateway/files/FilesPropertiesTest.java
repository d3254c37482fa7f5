package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * spie.files.* values that cannot work are refused when the settings are bound, naming the key, instead of quarantining
 * every file unread (max-attempts 0), stopping the gateway once it is ready with the scheduler's bare exception
 * (inbox-poll 0s) or failing with a JDK message that names no key (workers 0).
 */
class FilesPropertiesTest {
    private static FilesProperties with(DataSize maxSize, Duration inboxPoll, Integer workers, Integer maxAttempts,
                                        Duration leaseDuration) {
        return new FilesProperties(maxSize, inboxPoll, null, workers, null, null, maxAttempts, null, null,
                leaseDuration, null);
    }

    @Test
    void maxAttemptsBelowOneIsRefusedInsteadOfQuarantiningEveryFileUnread() {
        assertThatThrownBy(() -> with(null, null, null, 0, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spie.files.max-attempts must be at least 1, got 0");
        assertThatThrownBy(() -> with(null, null, null, -1, null)).hasMessageContaining("spie.files.max-attempts");
        assertThat(with(null, null, null, 1, null).maxAttempts()).isEqualTo(1);
    }

    @Test
    void anInboxPollOfLessThanAMillisecondIsRefusedWhenBoundNotOnceTheGatewayIsReady() {
        assertThatThrownBy(() -> with(null, Duration.ZERO, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spie.files.inbox-poll must be at least 1ms, got PT0S");
        assertThatThrownBy(() -> with(null, Duration.ofSeconds(-2), null, null, null))
                .hasMessageContaining("spie.files.inbox-poll");
        assertThat(with(null, Duration.ofMillis(1), null, null, null).inboxPoll()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void workersBelowOneAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> with(null, null, 0, null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spie.files.workers must be at least 1, got 0");
    }

    @Test
    void aMaxSizeBelowOneByteIsRefusedInsteadOfRefusingEveryFile() {
        assertThatThrownBy(() -> with(DataSize.ofBytes(0), null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spie.files.max-size must be at least 1 byte");
    }

    @Test
    void aLeaseDurationThatIsNotPositiveIsRefusedNamingThatKey() {
        assertThatThrownBy(() -> with(null, null, null, null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("spie.files.lease-duration must be positive, got PT0S");
    }
}

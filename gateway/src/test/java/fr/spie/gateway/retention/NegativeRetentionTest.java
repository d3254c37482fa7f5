package fr.spie.gateway.retention;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.files.ReceivedFileRetention;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A negative retention key stops the gateway at start-up (the bean is not created), naming the key
 * (spie.retention.france-travail-appointments: FranceTravailAppointmentRetentionTest).
 */
class NegativeRetentionTest {
    @Test
    void aNegativePayloadRetentionIsRefusedInsteadOfDeletingEverySettledCopyAtOnce() {
        assertThatThrownBy(() -> new PayloadRetention(null, null, null, null, Duration.ofDays(-90)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spie.retention.payload must not be negative");
    }

    @Test
    void aNegativeCheckIntervalIsRefusedWhenTheJobIsCreatedNotOnceTheGatewayIsReady() {
        assertThatThrownBy(() -> new RetentionJob(null, null, null, null, Duration.ofHours(-1), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spie.retention.check-interval must not be negative");
    }

    @Test
    void aNegativeConsentSubjectRetentionIsRefused() {
        assertThatThrownBy(() -> new ConsentSubjectRetention(null, null, null, Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spie.retention.consent-subjects must not be negative");
    }

    @Test
    void aNegativeFileRetentionIsRefused() {
        assertThatThrownBy(() -> new ReceivedFileRetention(null, null, Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spie.retention.files must not be negative");
    }
}

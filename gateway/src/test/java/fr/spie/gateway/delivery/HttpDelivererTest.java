package fr.spie.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpDelivererTest {
    @Test
    void serverErrorsTimeoutsAndThrottlingAreRetriedButRefusalsAreNot() {
        assertThat(HttpDeliverer.retryable(500)).isTrue();
        assertThat(HttpDeliverer.retryable(503)).isTrue();
        assertThat(HttpDeliverer.retryable(408)).isTrue();
        assertThat(HttpDeliverer.retryable(429)).isTrue();
        assertThat(HttpDeliverer.retryable(400)).isFalse();
        assertThat(HttpDeliverer.retryable(403)).isFalse();
        assertThat(HttpDeliverer.retryable(422)).isFalse();
    }
}

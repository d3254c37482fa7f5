package fr.spie.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.store.DeliveryRow;
import fr.spie.gateway.store.DeliveryStatus;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExchangeStatusViewTest {
    private static List<DeliveryRow> rows(DeliveryStatus... statuses) {
        return Arrays.stream(statuses).map(s -> new DeliveryRow("p", "r", s, 1, null, null, null)).toList();
    }

    @Test
    void theOverallStatusIsPendingUntilEveryRecipientIsSettled() {
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)))
                .isEqualTo("PENDING");
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.PENDING))).isEqualTo("PENDING");
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.DELIVERED, DeliveryStatus.DEAD_LETTERED)))
                .isEqualTo("DEAD_LETTERED");
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.DELIVERED, DeliveryStatus.BLOCKED)))
                .isEqualTo("DELIVERED");
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.BLOCKED))).isEqualTo("BLOCKED");
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.DELIVERED, DeliveryStatus.DISCARDED)))
                .isEqualTo("DISCARDED");
        assertThat(ExchangeStatusView.overall(rows(DeliveryStatus.DISCARDED, DeliveryStatus.DEAD_LETTERED)))
                .isEqualTo("DEAD_LETTERED");
    }
}

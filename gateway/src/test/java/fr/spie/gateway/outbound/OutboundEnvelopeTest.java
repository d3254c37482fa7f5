package fr.spie.gateway.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.spie.gateway.delivery.DeliveryFailure;
import org.junit.jupiter.api.Test;

/** What a partner transport is given to map, and why it cannot map something else. */
class OutboundEnvelopeTest {

    @Test
    void aSpieEnvelopeGivesItsRecordTypeSubjectAndPayload() {
        OutboundEnvelope envelope = OutboundEnvelope.parse("""
                {"recordType": "appointment", "subject": {"nir": "x"}, "payload": {"date": "2025-01-01"}}""");
        assertThat(envelope.recordType()).isEqualTo("appointment");
        assertThat(envelope.payload().path("date").asString()).isEqualTo("2025-01-01");
    }

    @Test
    void aWithdrawalNoticeIsRefusedSayingThatOnlySpieJsonCarriesIt() {
        String notice = """
                {"noticeType": "consent-withdrawn", "exchangeId": "e", "occurredAt": "2026-01-01T00:00:00Z",
                 "source": "gateway", "routeId": "diag", "consentId": "c", "withdrawnAt": "2026-01-01T00:00:00Z",
                 "purposes": ["social-support"], "subject": {"nir": "1840375123456"}}""";
        DeliveryFailure failure = catchThrowableOfType(DeliveryFailure.class, () -> OutboundEnvelope.parse(notice));
        assertThat(failure).isNotNull();
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).isEqualTo("a consent withdrawal notice is not a SPIE record:"
                + " only transport spie-json carries withdrawal notices, this recipient's transport does not");
        assertThat(failure.getMessage()).doesNotContain("1840375123456");
    }

    @Test
    void somethingElseIsRefusedAsUnmappable() {
        DeliveryFailure failure = catchThrowableOfType(DeliveryFailure.class, () -> OutboundEnvelope.parse("[]"));
        assertThat(failure.getMessage()).isEqualTo("the envelope has no recordType, subject or payload to map");
        assertThat(failure.retryable()).isFalse();
    }
}

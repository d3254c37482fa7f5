package fr.spie.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeReaderTest {
    private final EnvelopeReader reader = new EnvelopeReader(1024);

    @Test
    void aBodyOverTheLimitIsRefusedWithoutReadingItAll() {
        assertThatThrownBy(() -> reader.readBody(new ByteArrayInputStream(new byte[5000]), -1))
                .isInstanceOfSatisfying(IntakeRejection.class, r -> assertThat(r.status()).isEqualTo(413));
        assertThatThrownBy(() -> reader.readBody(new ByteArrayInputStream(new byte[10]), 5000))
                .isInstanceOfSatisfying(IntakeRejection.class, r -> assertThat(r.status()).isEqualTo(413));
    }

    @Test
    void deeplyNestedJsonIsRefused() {
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        EnvelopeReader large = new EnvelopeReader(1_000_000);
        assertThatThrownBy(() -> large.parse(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(IntakeRejection.class, r -> {
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(r.problem()).isEqualTo("malformed-json");
                    assertThat(r.getMessage()).contains("nesting");
                });
    }

    @Test
    void malformedJsonSaysWhere() {
        assertThatThrownBy(() -> reader.parse("{\n  \"a\": tru }".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(IntakeRejection.class, r -> assertThat(r.getMessage()).contains("line 2"));
    }

    @Test
    void onlyAnObjectIsAnEnvelope() {
        assertThatThrownBy(() -> reader.parse("[1, 2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(IntakeRejection.class, r -> assertThat(r.getMessage()).contains("object"));
        assertThatThrownBy(() -> reader.parse(new byte[0]))
                .isInstanceOfSatisfying(IntakeRejection.class, r -> assertThat(r.getMessage()).contains("empty"));
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> reader.parse(body))
                .isInstanceOfSatisfying(IntakeRejection.class, r -> assertThat(r.status()).isEqualTo(400));
    }

    /**
     * A member named twice: the parser keeps the last value, which alone would be validated and routed, while the
     * envelope as received (with the first, never checked) is what a recipient of the whole record is sent.
     */
    @Test
    void anObjectThatNamesAMemberTwiceIsRefusedWithoutItsValues() {
        String body = "{\"recordType\": \"diagnostic\", \"payload\": {\"date\": \"2025-01-15\", "
                + "\"needs\": {\"health\": \"need\", \"note\": \"SECRET-VALUE\"}, "
                + "\"needs\": {\"employment\": \"need\"}}}";
        assertThatThrownBy(() -> reader.parse(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(IntakeRejection.class, r -> {
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(r.problem()).isEqualTo("malformed-json");
                    assertThat(r.getMessage()).contains("needs").contains("line 1").doesNotContain("SECRET-VALUE")
                            .doesNotContain("employment");
                });
        String twoSubjects = "{\"subject\": {\"nir\": \"1800175056001\"}, \"subject\": {\"nir\": "
                + "\"2800175056001\"}}";
        assertThatThrownBy(() -> reader.parse(twoSubjects.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(IntakeRejection.class, r -> assertThat(r.getMessage())
                        .contains("subject").doesNotContain("1800175056001").doesNotContain("2800175056001"));
    }
}

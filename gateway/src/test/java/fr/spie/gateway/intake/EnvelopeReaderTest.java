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
}

package fr.spie.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {

    @Test
    void givesExactlyTheTextOfInstantToString() {
        SplittableRandom random = new SplittableRandom(42);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long second = random.nextLong(min, max + 1);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nano);
            assertThat(InstantText.of(t)).as("%s", t).isEqualTo(t.toString());
        }
    }

    @Test
    void edgeCasesAndYearsBeyondFourDigits() {
        for (String text : new String[] {"1970-01-01T00:00:00Z", "2026-12-06T01:02:03.100Z",
                "2026-12-06T01:02:03.000100Z", "2026-12-06T01:02:03.000000001Z", "2024-02-29T23:59:59.999999999Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"}) {
            Instant t = Instant.parse(text);
            assertThat(InstantText.of(t)).isEqualTo(t.toString()).isEqualTo(text);
        }
        for (Instant t : new Instant[] {Instant.MAX, Instant.MIN, Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59.5Z")}) {
            assertThat(InstantText.of(t)).isEqualTo(t.toString());
        }
    }
}

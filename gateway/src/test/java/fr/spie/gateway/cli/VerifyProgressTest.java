package fr.spie.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifyProgressTest {

    @Test
    void saysHowFarItIsAtMostOncePerInterval() {
        StringWriter text = new StringWriter();
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        VerifyProgress progress = new VerifyProgress(new PrintWriter(text), 5_000_000_000L, clock::get);
        clock.addAndGet(2_000_000_000L);
        progress.entriesRead(262_144);
        assertThat(text.toString()).isEmpty();
        clock.addAndGet(3_000_000_000L);
        progress.entriesRead(524_288);
        clock.addAndGet(1_000_000_000L);
        progress.entriesRead(786_432);
        clock.addAndGet(4_000_000_000L);
        progress.entriesRead(1_048_576);
        assertThat(text.toString().lines().toList()).containsExactly(
                String.format("... %,d entries read and hashed in %.0f s (%,.0f entries/s)", 524_288, 5.0, 524_288 / 5.0),
                String.format("... %,d entries read and hashed in %.0f s (%,.0f entries/s)", 1_048_576, 10.0,
                        1_048_576 / 10.0));
    }
}

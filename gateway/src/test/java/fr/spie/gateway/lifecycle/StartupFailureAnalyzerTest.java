package fr.spie.gateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.cluster.ProductionSettingsCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Start-up refusals an operator can fix are explained (description, action), never left as a stack trace. */
class StartupFailureAnalyzerTest {
    private final StartupFailureAnalyzer analyzer = new StartupFailureAnalyzer();

    @Test
    void aRefusalDeepInABeanCreationFailureIsExplained() {
        StartupRefusal refusal = new StartupRefusal("what is wrong", "what to do");

        FailureAnalysis analysis = analyzer.analyze(new BeanCreationException("bean", "creation failed",
                new IllegalStateException("wrapped", refusal)));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo("what is wrong");
        assertThat(analysis.getAction()).isEqualTo("what to do");
    }

    @Test
    void aLedgerThatDoesNotVerifyPointsAtCommandsThatExist() {
        FailureAnalysis analysis = analyzer.analyze(new LedgerVerificationException("audit_event seq 10 was altered"));

        assertThat(analysis.getAction()).contains("java -jar spie-gateway.jar audit export-full", "audit verify")
                .doesNotContain("'spie audit verify'");
    }

    @Test
    void theProductionProfilesMissingSettingsAreExplained() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", Map.of()));
        env.setActiveProfiles(ProductionSettingsCheck.PROFILE);

        Throwable failure = catchFailure(() -> new ProductionSettingsCheck().postProcessEnvironment(env,
                new SpringApplication()));
        FailureAnalysis analysis = analyzer.analyze(failure);

        assertThat(analysis).as("analysed rather than printed as a stack trace").isNotNull();
        assertThat(analysis.getDescription()).contains("spie.broker.url", "spie.privacy.pseudonym-key");
        assertThat(analysis.getAction()).contains("SPIE_BROKER_URL");
    }

    @Test
    void aDataDirectoryUnderAFileIsRefusedWithItsPathAndReason(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");

        assertThatThrownBy(() -> DataDirectoryCheck.check(file.resolve("data")))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageContaining("The data directory " + file.resolve("data") + " (spie.data-dir) is not usable")
                .hasMessageContaining("Not a directory");
        assertThatThrownBy(() -> DataDirectoryCheck.check(file))
                .hasMessageContaining("exists and is not a directory");
    }

    @Test
    void aWritableDataDirectoryIsCreatedAndLeftClean(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("var").resolve("spie");

        DataDirectoryCheck.check(data);

        assertThat(data).isDirectory();
        try (var entries = Files.list(data)) {
            assertThat(entries).isEmpty();
        }
    }

    private static Throwable catchFailure(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("no failure");
    }
}

package fr.spie.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.gateway.intake.EnvelopeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code explain <envelope.json> --config <dir>}: offline, no Spring, consent not checked. */
class ExplainCommandTest {
    @TempDir
    Path tmp;

    @Test
    void explainsPerRecipientWithProjectionAndSaysConsentIsNotChecked() throws Exception {
        Path envelope = tmp.resolve("diag.json");
        Files.writeString(envelope, """
                {"exchangeId": "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "recordType": "diagnostic",
                 "schemaVersion": "1.0", "source": "cd-51", "occurredAt": "2025-03-11T09:00:00+01:00",
                 "purpose": "social-support", "legalBasis": {"type": "consent", "reference": "RGPD art. 6(1)(a)"},
                 "subject": {"nir": "2820251108030"},
                 "payload": {"date": "2025-03-11", "authorOrganisation": {"kind": "departement"},
                             "needs": {"housing": "need"}}}""");
        SpieCliTest.Run run = SpieCliTest.run("explain", envelope.toString(), "--config",
                SpieCliTest.REPO_CONFIG.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode out = JsonMapper.builder().build().readTree(run.out());
        assertThat(out.path("consent").asString()).isEqualTo("not checked offline");
        JsonNode ml = out.path("recipients").get(0);
        assertThat(ml.path("recipient").asString()).isEqualTo("ml-reims");
        assertThat(ml.path("routeId").asString()).isEqualTo("diagnostic-cd-to-ml-consent");
        assertThat(ml.path("decision").asString()).isEqualTo("deliver");
        assertThat(ml.path("rule").asString()).isEqualTo("consent-not-checked");
        assertThat(ml.path("projectedPayload").toString())
                .isEqualTo("{\"date\":\"2025-03-11\",\"needs\":{\"housing\":\"need\"}}");
    }

    @Test
    void aBlockedRecipientShowsTheRule() throws Exception {
        Path envelope = tmp.resolve("diag.json");
        Files.writeString(envelope, """
                {"source": "cd-51", "recordType": "diagnostic", "purpose": "rsa-follow-up",
                 "legalBasis": {"type": "public-task"}, "payload": {}}""");
        SpieCliTest.Run run = SpieCliTest.run("explain", envelope.toString(), "--config",
                SpieCliTest.REPO_CONFIG.toString());
        JsonNode ml = JsonMapper.builder().build().readTree(run.out()).path("recipients").get(0);
        assertThat(ml.path("decision").asString()).isEqualTo("blocked");
        assertThat(ml.path("rule").asString()).isEqualTo("purpose-mismatch");
    }

    /**
     * explain reads the placeholders' variables as the gateway and config check do, so it explains under the
     * configuration (and version) the gateway runs. Before: the environment only; a --NAME=value setting was an
     * unknown option (exit 2).
     */
    @Test
    void readsThePlaceholderVariablesAsTheGatewayDoes() throws Exception {
        Path envelope = tmp.resolve("diag.json");
        Files.writeString(envelope, """
                {"source": "cd-51", "recordType": "diagnostic", "purpose": "rsa-follow-up",
                 "legalBasis": {"type": "public-task"}, "payload": {}}""");
        String config = SpieCliTest.REPO_CONFIG.toString();
        String setting = "--SPIE_DELIVERY_URL_ML_REIMS=https://ml-reims.example.fr/spie/v1/records";

        SpieCliTest.Run run = SpieCliTest.run("explain", envelope.toString(), "--config", config, setting);

        assertThat(run.exitCode()).as(run.err()).isZero();
        String version = JsonMapper.builder().build().readTree(run.out()).path("configVersion").asString();
        assertThat(SpieCliTest.run("config", "check", config, setting).out()).contains("version "
                + version.substring(0, 12));
        String withoutSetting = JsonMapper.builder().build().readTree(SpieCliTest.run("explain", envelope.toString(),
                "--config", config).out()).path("configVersion").asString();
        assertThat(version).isNotEqualTo(withoutSetting);
    }

    /** Without --config, the configuration is the gateway's spie.config-dir (SPIE_CONFIG_DIR). Before: ./config. */
    @Test
    void withoutConfigExplainsUnderTheGatewaysConfigDirectory() throws Exception {
        Path envelope = tmp.resolve("diag.json");
        Files.writeString(envelope, """
                {"source": "cd-51", "recordType": "diagnostic", "purpose": "rsa-follow-up",
                 "legalBasis": {"type": "public-task"}, "payload": {}}""");

        SpieCliTest.Run run = SpieCliTest.run(Map.of("SPIE_CONFIG_DIR", SpieCliTest.REPO_CONFIG.toString()),
                "explain", envelope.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(JsonMapper.builder().build().readTree(run.out()).path("recipients").get(0).path("recipient")
                .asString()).isEqualTo("ml-reims");
    }

    /** A mistyped --config is refused, not taken for a gateway's setting and ignored. */
    @Test
    void aMistypedOptionIsNotTakenForASetting() throws Exception {
        SpieCliTest.Run run = SpieCliTest.run("explain", tmp.resolve("e.json").toString(),
                "--confg=" + SpieCliTest.REPO_CONFIG);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("did you mean --config?");
    }

    /**
     * A file that is not an envelope is refused (exit 1, as the help says of an unreadable envelope) with what it is
     * instead, in the operator's words. Before: an empty file or a JSON array was "explained" (exit 0, "no route
     * carries  records from partner ''"); a PEM file printed Jackson's text with "at [Source: REDACTED ...]"; a file
     * that is not UTF-8 said "Input length = 1".
     */
    @Test
    void aFileThatIsNotAnEnvelopeIsRefusedSayingWhatItIs() throws Exception {
        String config = SpieCliTest.REPO_CONFIG.toString();
        Path empty = Files.writeString(tmp.resolve("empty.json"), "");
        Path array = Files.writeString(tmp.resolve("array.json"), "[1, 2]");
        Path pem = Files.writeString(tmp.resolve("key.pem"), "-----BEGIN PUBLIC KEY-----\nMCow\n");
        Path latin1 = Files.write(tmp.resolve("latin1.json"), new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xE9,
                '"', '}'});

        SpieCliTest.Run emptyRun = SpieCliTest.run("explain", empty.toString(), "--config", config);
        SpieCliTest.Run arrayRun = SpieCliTest.run("explain", array.toString(), "--config", config);
        SpieCliTest.Run pemRun = SpieCliTest.run("explain", pem.toString(), "--config", config);
        SpieCliTest.Run latin1Run = SpieCliTest.run("explain", latin1.toString(), "--config", config);

        assertThat(emptyRun.exitCode()).isEqualTo(1);
        assertThat(emptyRun.out()).isEmpty();
        assertThat(emptyRun.err()).contains(empty + ": not a JSON envelope: the file is empty");
        assertThat(arrayRun.exitCode()).isEqualTo(1);
        assertThat(arrayRun.err()).contains(array + ": not a JSON envelope: an envelope is a JSON object {...}, "
                + "this is array");
        assertThat(pemRun.exitCode()).isEqualTo(1);
        assertThat(pemRun.err()).contains(pem + ": not a JSON envelope: invalid JSON at line 1, column")
                .doesNotContain("REDACTED", "Source:");
        assertThat(latin1Run.exitCode()).isEqualTo(1);
        assertThat(latin1Run.err()).contains(latin1 + ": cannot read the envelope: not UTF-8 text")
                .doesNotContain("Input length");
    }

    /**
     * An envelope that names a member twice is refused by the gateway's intake (400 malformed-json). explain used to
     * explain it with its last value only, as deliverable (exit 0), projection and all.
     */
    @Test
    void anEnvelopeThatNamesAMemberTwiceIsRefusedAsTheIntakeRefusesIt() throws Exception {
        Path envelope = Files.writeString(tmp.resolve("twice.json"), """
                {"source": "cd-51", "recordType": "diagnostic", "purpose": "rsa-follow-up",
                 "legalBasis": {"type": "public-task"},
                 "payload": {"date": "2025-03-11", "needs": {"housing": "need"}},
                 "payload": {"date": "2025-03-11"}}""");

        SpieCliTest.Run run = SpieCliTest.run("explain", envelope.toString(), "--config",
                SpieCliTest.REPO_CONFIG.toString());

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(envelope + ": not a JSON envelope: invalid JSON at line 4")
                .contains("payload").doesNotContain("housing");
    }

    /** Nesting deeper than the intake reads (EnvelopeReader.MAX_NESTING) is refused as the intake refuses it. */
    @Test
    void anEnvelopeNestedDeeperThanTheIntakeReadsIsRefusedAsTheIntakeRefusesIt() throws Exception {
        String deep = "[".repeat(EnvelopeReader.MAX_NESTING + 5) + "]".repeat(EnvelopeReader.MAX_NESTING + 5);
        Path envelope = Files.writeString(tmp.resolve("deep.json"), "{\"source\": \"cd-51\", \"recordType\": "
                + "\"diagnostic\", \"purpose\": \"rsa-follow-up\", \"payload\": {\"needs\": " + deep + "}}");
        assertThatThrownBy(() -> new EnvelopeReader(1_000_000).parse(Files.readAllBytes(envelope)))
                .hasMessageContaining("nesting");

        SpieCliTest.Run run = SpieCliTest.run("explain", envelope.toString(), "--config",
                SpieCliTest.REPO_CONFIG.toString());

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(envelope + ": not a JSON envelope: invalid JSON").contains("nesting");
    }

    /**
     * A file that starts with a UTF-8 byte order mark (as some Windows editors save JSON) is read by the gateway's
     * intake (EnvelopeReader: the parser skips the mark) and must be explained as well. Before: "not a JSON envelope:
     * invalid JSON at line 1, column 2: Unexpected character", exit 1, for an envelope the gateway accepts.
     */
    @Test
    void anEnvelopeWithAByteOrderMarkIsExplainedAsTheIntakeReadsIt() throws Exception {
        byte[] text = """
                {"exchangeId": "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "recordType": "diagnostic",
                 "schemaVersion": "1.0", "source": "cd-51", "occurredAt": "2025-03-11T09:00:00+01:00",
                 "purpose": "social-support", "legalBasis": {"type": "consent", "reference": "RGPD art. 6(1)(a)"},
                 "subject": {"nir": "2820251108030"},
                 "payload": {"date": "2025-03-11", "authorOrganisation": {"kind": "departement"},
                             "needs": {"housing": "need"}}}""".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] withMark = new byte[text.length + 3];
        withMark[0] = (byte) 0xEF;
        withMark[1] = (byte) 0xBB;
        withMark[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withMark, 3, text.length);
        assertThat(new fr.spie.gateway.intake.EnvelopeReader(1_000_000).parse(withMark).path("source").asString())
                .isEqualTo("cd-51");
        Path envelope = Files.write(tmp.resolve("bom.json"), withMark);

        SpieCliTest.Run run = SpieCliTest.run("explain", envelope.toString(), "--config",
                SpieCliTest.REPO_CONFIG.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(JsonMapper.builder().build().readTree(run.out()).path("recipients").get(0).path("recipient").asString())
                .isEqualTo("ml-reims");
    }

    /**
     * Without --config, a gateway's configuration directory that is not there is named in full, with where the setting
     * came from and what to give. Before: "./config:0:0: configuration directory not found" (or the setting's path),
     * which did not say that --config was the way out.
     */
    @Test
    void withoutConfigAMissingConfigurationDirectorySaysWhatToGive() throws Exception {
        Path envelope = Files.writeString(tmp.resolve("e.json"), "{}");
        Path missing = tmp.resolve("no-such-config");

        SpieCliTest.Run fromTheWorkingDirectory = SpieCliTest.run("explain", envelope.toString());
        SpieCliTest.Run fromTheSetting = SpieCliTest.run(Map.of("SPIE_CONFIG_DIR", missing.toString()), "explain",
                envelope.toString());

        assertThat(fromTheWorkingDirectory.exitCode()).isEqualTo(1);
        // the jar's application.yml gives the default, config (relative to the working directory)
        assertThat(fromTheWorkingDirectory.err().strip()).startsWith("no configuration directory "
                + Path.of("config").toAbsolutePath() + " (spie.config-dir, from class path resource "
                + "[application.yml]").endsWith("): give --config DIR, or the gateway's spie.config-dir "
                + "(SPIE_CONFIG_DIR)");
        assertThat(fromTheSetting.exitCode()).isEqualTo(1);
        assertThat(fromTheSetting.err()).contains("no configuration directory " + missing + " (spie.config-dir, from ",
                "SPIE_CONFIG_DIR", "): give --config DIR");
        assertThat(SpieCliTest.run("pki", "init", tmp.resolve("pki").toString()).err().strip())
                .isEqualTo(fromTheWorkingDirectory.err().strip());
        assertThat(tmp.resolve("pki")).doesNotExist();
    }

    @Test
    void hasHelp() {
        assertThat(SpieCliTest.run("explain", "--help").out()).contains("not available offline", "--config");
    }
}

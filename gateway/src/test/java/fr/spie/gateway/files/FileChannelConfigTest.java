package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.spie.gateway.config.ConfigProblem;
import fr.spie.gateway.config.FileChannel;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.InvalidConfigException;
import fr.spie.gateway.config.LegalBasis;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.RecordTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code files:} block of partners.yaml: schema, loader checks and the example deployments. */
class FileChannelConfigTest {
    final GatewayConfigLoader loader = new GatewayConfigLoader(RecordTypes.V1, k -> null);

    @TempDir
    Path dir;

    static final String ROUTES = """
            routes:
              - id: r
                description: d
                recordTypes: [person]
                from: cd-51
                to: [ft-51]
                purpose: rsa-orientation
                legalBasis: {type: public-task, reference: "CASF art. L262-29"}
            """;

    GatewayConfig load(String files) throws Exception {
        Files.writeString(dir.resolve("routes.yaml"), ROUTES, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("partners.yaml"), """
                partners:
                  - id: cd-51
                    kind: departement
                    name: CD
                %s
                  - id: ft-51
                    kind: france-travail
                    name: FT
                    delivery: {url: "http://localhost:1/x"}
                """.formatted(files.indent(4).stripTrailing()), StandardCharsets.UTF_8);
        return loader.load(dir);
    }

    List<String> problems(String files) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> load(files));
        assertThat(e).as("expected the configuration to be invalid").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void theExampleDeploymentsGiveTheFourPartnersAFileChannel() throws Exception {
        for (Path config : List.of(Path.of("..", "config"), Path.of("src/test/resources/test-config"))) {
            GatewayConfig c = new GatewayConfigLoader(RecordTypes.V1, k -> k.startsWith("TEST_URL") ? "http://x:1/r"
                    : null).load(config);
            assertThat(c.partner("caf-51").map(Partner::files).map(FileChannel::format)).hasValue("cnaf-vrsb0801");
            assertThat(c.partner("ft-51").map(Partner::files).map(FileChannel::format))
                    .hasValue("france-travail-extract-spie");
            assertThat(c.partner("cd-51").map(Partner::files).map(FileChannel::format)).hasValue("departement-file");
            assertThat(c.partner("ml-reims").map(Partner::files).map(FileChannel::format))
                    .hasValue("imilo-dossier-json");
            assertThat(c.partner("caf-51").orElseThrow().files().legalBasis())
                    .isEqualTo(new LegalBasis("legal-obligation", "CASF art. L262-40"));
        }
    }

    @Test
    void readsABuiltInOrInlineMappingAndAnEncoding() throws Exception {
        FileChannel named = load("""
                files:
                  format: departement-file
                  encoding: windows-1252
                  mapping: departement-orientations
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "CASF art. L262-29"}
                """).partner("cd-51").orElseThrow().files();
        assertThat(named.mappingName()).isEqualTo("departement-orientations");
        assertThat(named.encoding()).isEqualTo("windows-1252");
        assertThat(FileConnectors.forChannel("cd-51", named).format()).isEqualTo("departement-file");

        FileChannel inline = load("""
                files:
                  format: departement-file
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "CASF art. L262-29"}
                  mapping:
                    name: mine
                    keyColumn: ID
                    fields:
                      - {column: ID, target: "person:/identifiers", identifierScheme: departement-id, required: true}
                      - {column: NOM, target: "person:/birthName", required: true}
                    records:
                      - {recordType: person}
                """).partner("cd-51").orElseThrow().files();
        assertThat(inline.inlineMapping()).containsEntry("name", "mine");
        assertThat(inline.inlineMapping().get("fields")).asList().hasSize(2);
    }

    @Test
    void problemsAreReportedWithTheirPlace() {
        assertThat(problems("""
                files:
                  format: cnaf-vrsb0801
                  encoding: UTF-8
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                """)).singleElement().asString().contains("partners.yaml:7:").contains("no configurable encoding");
        assertThat(problems("""
                files:
                  format: imilo-dossier-json
                  mapping: carnet-de-bord-beneficiaires
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                """)).singleElement().asString().contains("only format 'departement-file' takes a mapping");
        assertThat(problems("""
                files:
                  format: departement-file
                  mapping: no-such-mapping
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                """)).singleElement().asString().contains("no built-in mapping 'no-such-mapping'");
        assertThat(problems("""
                files:
                  format: departement-file
                  mapping: {name: x, colour: blue}
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                """)).singleElement().asString().contains("partners[0].files.mapping");
        assertThat(problems("""
                files:
                  format: csv
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                """)).singleElement().asString().contains("partners[0].files.format");
        assertThat(problems("""
                files:
                  format: cnaf-vrsb0801
                """)).isNotEmpty();
    }

    @Test
    void theCnafDeclaredCountPolicyIsConfigurableForCnafFilesOnly() throws Exception {
        FileChannel report = load("""
                files:
                  format: cnaf-vrsb0801
                  declaredCounts: report
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                """).partner("cd-51").orElseThrow().files();
        assertThat(report.declaredCounts()).isEqualTo(FileChannel.REPORT);
        FileChannel byDefault = load("""
                files:
                  format: cnaf-vrsb0801
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                """).partner("cd-51").orElseThrow().files();
        assertThat(byDefault.declaredCounts()).isEqualTo(FileChannel.REFUSE_FILE);
        assertThat(problems("""
                files:
                  format: departement-file
                  declaredCounts: report
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                """)).singleElement().asString().contains("only format 'cnaf-vrsb0801' declares its totals");
        assertThat(problems("""
                files:
                  format: cnaf-vrsb0801
                  declaredCounts: ignore
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                """)).singleElement().asString().contains("declaredCounts");
    }

    @Test
    void identifierIssuersAreReadAndGivenToTheConnector() throws Exception {
        FileChannel channel = load("""
                files:
                  format: departement-file
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                  identifierIssuers: {caf-matricule: "CAF 511"}
                """).partner("cd-51").orElseThrow().files();
        assertThat(channel.identifierIssuers()).containsExactly(java.util.Map.entry("caf-matricule", "CAF 511"));

        FileConnectorsTest.Collect read = new FileConnectorsTest.Collect();
        FileConnectors.forChannel("cd-51", channel).read(new java.io.ByteArrayInputStream(
                FileConnectorsTest.fixture("carnet-de-bord-beneficiaires.csv")), read);
        assertThat(read.records.get(0).subject().path("identifiers").toString())
                .isEqualTo("[{\"scheme\":\"departement-id\",\"value\":\"FT-D-001\",\"issuer\":\"cd-51\"},"
                        + "{\"scheme\":\"caf-matricule\",\"value\":\"7777700\",\"issuer\":\"CAF 511\"}]");

        assertThat(load("""
                files:
                  format: departement-file
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                """).partner("cd-51").orElseThrow().files().identifierIssuers()).isEmpty();
    }

    @Test
    void identifierIssuersProblemsAreReportedWithTheirPlace() {
        assertThat(problems("""
                files:
                  format: departement-file
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                  identifierIssuers: {caf-matricul: "CAF 511"}
                """)).singleElement().asString().startsWith("partners.yaml:9:")
                .contains("partners[0].files.identifierIssuers");
        assertThat(problems("""
                files:
                  format: departement-file
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                  identifierIssuers: {caf-matricule: "--"}
                """)).singleElement().asString().startsWith("partners.yaml:9:")
                .contains("partners[0].files.identifierIssuers.caf-matricule");
        assertThat(problems("""
                files:
                  format: cnaf-vrsb0801
                  purpose: rsa-orientation
                  legalBasis: {type: public-task, reference: "x"}
                  identifierIssuers: {caf-matricule: "CAF 511"}
                """)).singleElement().asString().startsWith("partners.yaml:9:")
                .contains("only format 'departement-file' takes identifierIssuers");
    }

    @Test
    void aPartnerWithoutFilesHasNoChannel() throws Exception {
        assertThat(load("").partner("cd-51").orElseThrow().files()).isNull();
    }
}

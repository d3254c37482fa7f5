package fr.spie.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** partners.yaml {@code delivery.transport} and its settings blocks. */
class TransportConfigTest {
    static final String ROUTES = """
            routes:
              - id: to-all
                description: orientations to every partner
                recordTypes: [orientation, appointment]
                from: caf-51
                to: [ft-51]
                purpose: rsa-orientation
                legalBasis: {type: legal-obligation, reference: CASF art. L262-40}
            """;
    static final String HEAD = """
            partners:
              - id: caf-51
                kind: caf
                name: CAF de la Marne
              - id: ft-51
                kind: france-travail
                name: France Travail Marne
                delivery:
            """;

    @TempDir
    Path dir;
    final Map<String, String> env = new HashMap<>();
    GatewayConfigLoader loader;

    @BeforeEach
    void setUp() {
        loader = new GatewayConfigLoader(RecordTypes.V1, env::get);
    }

    /** A config whose ft-51 delivery block is {@code delivery} (indented by the caller's text block). */
    void partners(String delivery) throws IOException {
        Files.writeString(dir.resolve("partners.yaml"), HEAD + delivery.indent(6), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("routes.yaml"), ROUTES, StandardCharsets.UTF_8);
    }

    List<String> problems() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> loader.load(dir));
        assertThat(e).as("expected the configuration to be invalid").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    Delivery ftDelivery() throws InvalidConfigException {
        return loader.load(dir).partner("ft-51").orElseThrow().delivery();
    }

    @Test
    void withoutTransportTheDeliveryIsSpieJson() throws Exception {
        partners("url: https://ft.example.fr/records");

        Delivery delivery = ftDelivery();

        assertThat(delivery.transport()).isEqualTo(new TransportSettings.SpieJson());
        assertThat(delivery.url()).isEqualTo(URI.create("https://ft.example.fr/records"));
    }

    @Test
    void franceTravailApiSettingsWithTheSecretFromThePlaceholder() throws Exception {
        env.put("SPIE_FT51_CLIENT_SECRET", "s3cret");
        partners("""
                transport: france-travail-api
                franceTravailApi:
                  apiUrl: https://api.francetravail.io
                  authUrl: https://entreprise.francetravail.fr
                  clientId: PAR_spie
                  clientSecret: "${SPIE_FT51_CLIENT_SECRET}"
                  scope: api_rechercher-usagerv2 api_orientationusagerv1
                  agent: {identifiant: SPIE, nom: PASSERELLE}
                maxAttempts: 4
                """);

        Delivery delivery = ftDelivery();

        assertThat(delivery.url()).isNull();
        assertThat(delivery.maxAttempts()).isEqualTo(4);
        assertThat(delivery.transport()).isEqualTo(new TransportSettings.FranceTravailApi(
                URI.create("https://api.francetravail.io"), URI.create("https://entreprise.francetravail.fr"),
                "PAR_spie", "s3cret", "api_rechercher-usagerv2 api_orientationusagerv1", "SPIE", "PASSERELLE",
                "BATCH"));
        assertThat(delivery.toString()).doesNotContain("s3cret").contains("clientSecret=***");
    }

    @Test
    void imiloApiSettings() throws Exception {
        env.put("KEY", "k3y");
        partners("""
                transport: imilo-api
                imiloApi: {url: https://api.i-milo.fr/v1, apiKey: "${KEY}", recordTypes: [appointment]}
                """);

        TransportSettings.ImiloApi imilo = (TransportSettings.ImiloApi) ftDelivery().transport();

        assertThat(imilo.url()).isEqualTo(URI.create("https://api.i-milo.fr/v1"));
        assertThat(imilo.apiKey()).isEqualTo("k3y");
        assertThat(imilo.recordTypes()).containsExactly("appointment");
        assertThat(imilo.timeZone()).isEqualTo(java.time.ZoneId.of("Europe/Paris"));
        assertThat(imilo.toString()).doesNotContain("k3y");
    }

    @Test
    void anOverseasMissionLocaleGivesItsTimeZone() throws Exception {
        partners("""
                transport: imilo-api
                imiloApi: {url: https://api.i-milo.fr/v1, apiKey: k, timeZone: Indian/Reunion}
                """);

        TransportSettings.ImiloApi imilo = (TransportSettings.ImiloApi) ftDelivery().transport();

        assertThat(imilo.timeZone()).isEqualTo(java.time.ZoneId.of("Indian/Reunion"));
    }

    @Test
    void anUnknownTimeZoneIsAProblem() throws Exception {
        partners("""
                transport: imilo-api
                imiloApi: {url: https://api.i-milo.fr/v1, apiKey: k, timeZone: Reunion/Island}
                """);

        assertThat(problems()).singleElement().asString().contains("imiloApi.timeZone", "'Reunion/Island' is not a time zone");
    }

    @Test
    void departementFileSettingsAndDefaults() throws Exception {
        partners("""
                transport: departement-file
                departementFile: {outbox: outbox/cd-51}
                """);

        assertThat(ftDelivery().transport()).isEqualTo(new TransportSettings.DepartementFile("outbox/cd-51",
                "carnet-de-bord-beneficiaires", null, "spie-{recordType}-{key}.csv"));
    }

    @Test
    void anUnknownTransportIsReportedAtItsLine() throws Exception {
        partners("transport: ftp\nurl: https://ft.example.fr/records");

        assertThat(problems()).containsExactly("partners.yaml:9:18: partners[1].delivery.transport: 'ftp' is not one"
                + " of: spie-json, france-travail-api, imilo-api, departement-file");
    }

    @Test
    void missingSettingsAreReported() throws Exception {
        partners("""
                transport: france-travail-api
                franceTravailApi:
                  authUrl: https://entreprise.francetravail.fr
                  clientId: PAR_spie
                  clientSecret: "${SPIE_FT51_CLIENT_SECRET:}"
                  scope: x
                """);

        assertThat(problems()).containsExactly(
                "partners.yaml:11:9: partners[1].delivery.franceTravailApi: missing required key 'apiUrl'",
                "partners.yaml:13:23: partners[1].delivery.franceTravailApi.clientSecret: is empty: set the"
                        + " variable its placeholder names (environment, -DNAME=..., or --NAME=... / application "
                        + "settings)");
    }

    @Test
    void aTransportWithoutItsBlockOrWithAnotherOnesIsReported() throws Exception {
        partners("""
                transport: france-travail-api
                url: https://ft.example.fr/records
                imiloApi: {url: https://api.i-milo.fr, apiKey: k}
                """);

        assertThat(problems()).containsExactly(
                "partners.yaml:9:7: partners[1].delivery: transport 'france-travail-api' needs its settings in"
                        + " partners[1].delivery.franceTravailApi",
                "partners.yaml:10:12: partners[1].delivery.url: transport 'france-travail-api' does not use url (its"
                        + " endpoint is in partners[1].delivery.franceTravailApi)",
                "partners.yaml:11:17: partners[1].delivery.imiloApi: settings of transport 'imilo-api', but the"
                        + " transport is 'france-travail-api' (set transport: imilo-api or remove them)");
    }

    @Test
    void spieJsonNeedsAUrl() throws Exception {
        partners("maxAttempts: 3");

        assertThat(problems()).containsExactly("partners.yaml:9:7: partners[1].delivery: missing required key 'url'"
                + " (transport spie-json posts the records to it)");
    }

    @Test
    void departementFileNamesAndMappingsAreChecked() throws Exception {
        partners("""
                transport: departement-file
                departementFile: {outbox: out, fileName: "export-{recordType}.csv", mapping: nope}
                """);

        assertThat(problems()).containsExactly(
                "partners.yaml:10:48: partners[1].delivery.departementFile.fileName: must contain {key} or"
                        + " {exchangeId}, so that each record has its own file and a redelivery finds the file it"
                        + " already wrote",
                "partners.yaml:10:84: partners[1].delivery.departementFile.mapping: no built-in mapping 'nope'");
    }

    /**
     * Two partners with one outbox folder: each would read the other's records, and with a file name such as
     * {exchangeId}.csv a record routed to both was written once, the second partner's delivery taken for a
     * redelivery of the first's ("already in the outbox") and nothing written for it.
     */
    @Test
    void twoPartnersCannotShareAnOutbox() throws Exception {
        Files.writeString(dir.resolve("partners.yaml"), HEAD + """
                      transport: departement-file
                      departementFile: {outbox: outbox/shared, fileName: "{exchangeId}.csv"}
                  - id: cd-51
                    kind: departement
                    name: Marne
                    delivery:
                      transport: departement-file
                      departementFile: {outbox: outbox/./shared/, fileName: "{exchangeId}.csv"}
                  - id: cd-08
                    kind: departement
                    name: Ardennes
                    delivery:
                      transport: departement-file
                      departementFile: {outbox: outbox/cd-08, fileName: "{exchangeId}.csv"}
                """, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("routes.yaml"), ROUTES, StandardCharsets.UTF_8);

        assertThat(problems()).containsExactly("partners.yaml:16:33: partners[2].delivery.departementFile.outbox:"
                + " 'outbox/./shared/' is the outbox of partner 'ft-51' too: each partner needs a folder of its own"
                + " (it would read the other's records)");
    }

    @Test
    void fileNameTemplates() {
        assertThat(GatewayConfigLoader.fileNameProblem("spie-{recordType}-{receivedDate}-{key}.csv")).isNull();
        assertThat(GatewayConfigLoader.fileNameProblem("{partner}_{exchangeId}.csv")).isNull();
        assertThat(GatewayConfigLoader.fileNameProblem("{key}-{date}.csv")).startsWith("unknown variable {date}");
        assertThat(GatewayConfigLoader.fileNameProblem("../{key}.csv")).contains("is not a plain file name");
        assertThat(GatewayConfigLoader.fileNameProblem("sub/{key}.csv")).contains("is not a plain file name");
    }

    @Test
    void theRepositoryExampleKeepsSpieJsonForEveryPartner() throws Exception {
        GatewayConfig config = loader.load(Path.of("..", "config"));

        assertThat(config.partners()).allSatisfy(p -> assertThat(p.delivery().transport().name())
                .isEqualTo(TransportSettings.SPIE_JSON));
        assertThat(TransportSettings.NAMES).containsExactlyInAnyOrderElementsOf(Set.of("spie-json",
                "france-travail-api", "imilo-api", "departement-file"));
    }
}

package fr.spie.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.spie.schema.SpieSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The route keys of issue 4: consent, release (allow-lists checked against the schema), notifyWithdrawal. */
class RouteConsentReleaseConfigTest {
    @TempDir
    Path dir;
    final SpieSchemas schemas = SpieSchemas.load();
    final GatewayConfigLoader loader = new GatewayConfigLoader(schemas.recordTypes(), k -> null,
            schemas::definesPointer);

    static final String PARTNERS = """
            partners:
              - id: cd-51
                kind: departement
                name: CD
                delivery: {url: "http://localhost:1/a"}
              - id: ml-reims
                kind: mission-locale
                name: ML
                delivery: {url: "http://localhost:1/b"}
              - id: ft-51
                kind: france-travail
                name: FT
                delivery: {url: "http://localhost:1/c"}
            """;

    String route(String extra) {
        return """
                routes:
                  - id: diag
                    description: diagnostics on consent
                    recordTypes: [diagnostic]
                    from: cd-51
                    to: [ml-reims, ft-51]
                    purpose: social-support
                    legalBasis: {type: consent, reference: "RGPD art. 6(1)(a)"}
                """ + extra;
    }

    String partners = PARTNERS;

    GatewayConfig load(String routes) throws Exception {
        Files.writeString(dir.resolve("partners.yaml"), partners, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("routes.yaml"), routes, StandardCharsets.UTF_8);
        return loader.load(dir);
    }

    List<String> problems(String routes) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> load(routes));
        assertThat(e).as("invalid").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void releaseConsentAndNotifyAreRead() throws Exception {
        Route r = load(route("""
                    consent: {required: true, purposes: [social-support, youth-follow-up]}
                    release:
                      ml-reims: [/date, /needs/housing, /constraints/0]
                    notifyWithdrawal: true
                """)).routes().get(0);
        assertThat(r.consent().purposes()).containsExactly("social-support", "youth-follow-up");
        assertThat(r.release()).isEqualTo(Map.of("ml-reims", List.of("/date", "/needs/housing", "/constraints")));
        assertThat(r.releaseFor("ft-51")).as("not listed: whole payload").isEmpty();
        assertThat(r.notifyWithdrawal()).isTrue();
    }

    @Test
    void aConsentBasisNeedsConsentImplicitly() throws Exception {
        assertThat(load(route("")).routes().get(0).consent().purposes()).containsExactly("social-support");
    }

    @Test
    void anUnknownPointerIsAConfigErrorWithItsPosition() {
        assertThat(problems(route("""
                    release:
                      ml-reims: [/date, /needz]
                """))).containsExactly("routes.yaml:10:25: route 'diag': release pointer '/needz' for 'ml-reims' is "
                + "not a field of the schema of diagnostic");
    }

    @Test
    void releaseToANonRecipientIsAConfigError() {
        assertThat(problems(route("""
                    release:
                      cd-51: [/date]
                """))).singleElement().asString().startsWith("routes.yaml:10:14:")
                .contains("release names 'cd-51', which is not a recipient");
    }

    @Test
    void consentCannotBeSwitchedOffOnAConsentBasis() {
        assertThat(problems(route("""
                    consent: {required: false}
                """))).singleElement().asString().contains("consent.required cannot be false");
    }

    @Test
    void onAConsentBasisTheConsentMustCoverTheRoutesOwnPurpose() {
        assertThat(problems(route("""
                    consent: {required: true, purposes: [youth-follow-up]}
                """))).singleElement().asString().startsWith("routes.yaml:9:")
                .contains("consent.purposes must include the route's purpose 'social-support'");
    }

    @Test
    void consentRecordsAreNotRoutable() {
        assertThat(problems(route("").replace("[diagnostic]", "[diagnostic, consent]"))).singleElement().asString()
                .contains("consent records are registered by the gateway");
    }

    /** ml-reims receives through its i-milo API, France Travail through its partner APIs. */
    void recipientsWithPartnerTransports() {
        partners = PARTNERS.replace("""
                    delivery: {url: "http://localhost:1/b"}
                """, """
                    delivery:
                      transport: imilo-api
                      imiloApi: {url: "http://localhost:1/milo", apiKey: "${KEY:k}"}
                """).replace("""
                    delivery: {url: "http://localhost:1/c"}
                """, """
                    delivery:
                      transport: france-travail-api
                      franceTravailApi: {apiUrl: "http://localhost:1/ft", authUrl: "http://localhost:1/auth",
                                         clientId: c, clientSecret: "${SECRET:s}", scope: s}
                """);
    }

    @Test
    void withdrawalNoticesToRecipientsWhoseTransportCannotCarryThemAreAConfigError() {
        recipientsWithPartnerTransports();
        assertThat(problems(route("""
                    notifyWithdrawal: true
                """))).containsExactly("routes.yaml:9:23: route 'diag': notifyWithdrawal: recipients 'ml-reims'"
                + " (transport imilo-api), 'ft-51' (transport france-travail-api) cannot receive withdrawal notices:"
                + " only transport spie-json carries them. Notify these recipients another way and give the others"
                + " a route of their own with notifyWithdrawal, or remove notifyWithdrawal");
    }

    /** France Travail's appointments are updated by the id the gateway keeps for the source's appointment id. */
    @Test
    void aReleaseToFranceTravailsApiThatLeavesOutTheAppointmentsIdIsAConfigError() throws Exception {
        recipientsWithPartnerTransports();
        String appointments = route("""
                    release: {ft-51: [/startAt, /status]}
                """).replace("[diagnostic]", "[appointment]");
        assertThat(problems(appointments)).singleElement().asString().contains("release for 'ft-51' leaves out /id")
                .contains("every change of an appointment would create another one at France Travail");
        assertThat(load(appointments.replace("[/startAt, /status]", "[/id, /startAt, /status]")).routes())
                .singleElement().satisfies(r -> assertThat(r.release().get("ft-51")).contains("/id"));
        // other record types, or a recipient on another transport, may leave it out
        assertThat(load(route("""
                    release: {ft-51: [/date]}
                """)).routes()).hasSize(1);
        assertThat(load(appointments.replace("ft-51: [/startAt, /status]", "ml-reims: [/startAt]")).routes())
                .hasSize(1);
    }

    @Test
    void partnerTransportsAreFineWithoutWithdrawalNotices() throws Exception {
        recipientsWithPartnerTransports();
        assertThat(load(route("""
                    notifyWithdrawal: false
                """)).routes()).singleElement().satisfies(r -> assertThat(r.notifyWithdrawal()).isFalse());
    }

    @Test
    void theRepositoryConfigUsesAllowLists() throws Exception {
        GatewayConfig config = loader.load(Path.of("..", "config"));
        assertThat(config.routes()).anySatisfy(r -> assertThat(r.release()).isNotEmpty());
        assertThat(config.routes()).anySatisfy(r -> assertThat(r.consent()).isNotNull());
    }
}

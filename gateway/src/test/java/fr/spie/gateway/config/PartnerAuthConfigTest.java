package fr.spie.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** partners[].auth.methods and auth.certificate: how a partner authenticates, checked at load. */
class PartnerAuthConfigTest {
    @TempDir
    Path dir;

    private static final String ROUTES = "routes: []\n";

    private GatewayConfig load(String auth) throws Exception {
        write(auth, "");
        return new GatewayConfigLoader(RecordTypes.V1, Map.<String, String>of()::get).load(dir);
    }

    private void write(String auth, String secondAuth) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), ROUTES);
        Files.writeString(dir.resolve("partners.yaml"), """
                partners:
                  - id: caf-51
                    kind: caf
                    name: CAF
                %s
                  - id: cd-51
                    kind: departement
                    name: CD
                %s
                """.formatted(auth.indent(4).stripTrailing(), secondAuth.indent(4).stripTrailing()));
    }

    private List<String> problems(String auth, String secondAuth) throws IOException {
        write(auth, secondAuth);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> new GatewayConfigLoader(RecordTypes.V1, Map.<String, String>of()::get).load(dir));
        assertThat(e).as("expected the configuration to be invalid").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void withoutMethodsAPartnerUsesTokens() throws Exception {
        Partner caf = load("auth: {tokenSha256: \"" + "a".repeat(64) + "\"}").partner("caf-51").orElseThrow();
        assertThat(caf.authMethods()).containsExactly(AuthMethod.TOKEN);
        assertThat(caf.certificate()).isNull();
    }

    @Test
    void anMtlsPartnerDeclaresItsCertificate() throws Exception {
        Partner caf = load("""
                auth:
                  methods: [token, mtls]
                  certificate:
                    subject: "CN=caf-51, OU=partners, O=SPIE Gateway"
                    issuer: "CN=Some CA,O=Somewhere"
                    sha256: "AB:%s"
                """.formatted("cd:".repeat(30) + "ef")).partner("caf-51").orElseThrow();
        assertThat(caf.authMethods()).containsExactlyInAnyOrder(AuthMethod.TOKEN, AuthMethod.MTLS);
        assertThat(caf.certificate().subject()).isEqualTo(new X500Principal("CN=caf-51,OU=partners,O=SPIE Gateway"));
        assertThat(caf.certificate().issuer()).isEqualTo(new X500Principal("CN=Some CA,O=Somewhere"));
        assertThat(caf.certificate().sha256()).isEqualTo(Set.of("ab" + "cd".repeat(30) + "ef"));
    }

    @Test
    void mtlsWithoutCertificateIsAProblem() throws Exception {
        assertThat(problems("auth: {methods: [mtls]}", "")).singleElement().asString()
                .contains("partners[0].auth: methods include mtls, so 'certificate'", "is required");
    }

    @Test
    void aCertificateWithoutMtlsIsAProblem() throws Exception {
        assertThat(problems("auth: {certificate: {subject: \"CN=caf-51\"}}", "")).singleElement().asString()
                .contains("partners[0].auth.certificate: a certificate is only used when auth.methods includes mtls");
    }

    @Test
    void anIssuerAloneOrABadNameIsAProblem() throws Exception {
        assertThat(problems("auth: {methods: [mtls], certificate: {issuer: \"CN=CA\"}}",
                "auth: {methods: [mtls], certificate: {subject: \"not a DN\"}}"))
                .anySatisfy(p -> assertThat(p).contains("give the certificate's subject or its sha256"))
                .anySatisfy(p -> assertThat(p).contains("partners[1].auth.certificate.subject: 'not a DN' is not a "
                        + "distinguished name"));
    }

    @Test
    void twoPartnersCannotShareACertificate() throws Exception {
        assertThat(problems("auth: {methods: [mtls], certificate: {subject: \"CN=shared,O=X\"}}",
                "auth: {methods: [mtls], certificate: {subject: \"CN=shared, O=X\", issuer: \"CN=CA\"}}"))
                .singleElement().asString().contains("partners[1].auth.certificate: the same certificate could also be "
                        + "partner 'caf-51''s");
    }

    @Test
    void unknownMethodsAreSchemaProblems() throws Exception {
        assertThat(problems("auth: {methods: [password]}", "")).singleElement().asString()
                .contains("partners[0].auth.methods[0]");
    }
}

package fr.spie.gateway.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static fr.spie.gateway.config.GatewayConfigLoaderTest.PARTNERS;
import static fr.spie.gateway.config.GatewayConfigLoaderTest.ROUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What YAML and placeholders allow but a configuration file must not rely on silently: a second document, aliases,
 * another encoding than UTF-8, a huge file, a placeholder in a placeholder's default.
 */
class YamlFeaturesConfigTest {
    @TempDir
    Path dir;
    final Map<String, String> env = new HashMap<>();
    GatewayConfigLoader loader;

    @BeforeEach
    void setUp() {
        loader = new GatewayConfigLoader(RecordTypes.V1, env::get);
    }

    void write(String file, String text) throws IOException {
        Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
    }

    List<String> problems() {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> loader.load(dir));
        assertThat(e).as("expected the configuration to be invalid").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    /** Before: the routes after the second '---' were dropped without a word. */
    @Test
    void aSecondDocumentInAFileIsReportedNotIgnored() throws IOException {
        write("partners.yaml", PARTNERS);
        write("routes.yaml", ROUTES + "---\nroutes:\n  - id: another-route\n");

        assertThat(problems()).containsExactly("routes.yaml:11:1: a second YAML document starts here ('---'): "
                + "a configuration file is one document (remove the '---' and merge the two)");
    }

    /** Before: an alias was read as the text of its name (here the partner's name became 'caf'). */
    @Test
    void anAliasIsReportedNotReadAsItsName() throws IOException {
        write("partners.yaml", PARTNERS.replace("kind: caf", "kind: &caf caf")
                .replace("name: CAF de la Marne", "name: *caf"));
        write("routes.yaml", ROUTES);

        assertThat(problems()).containsExactly("partners.yaml:4:11: YAML aliases ('*caf') are not supported: "
                + "write the value out");
    }

    @Test
    void anAliasOfABlockIsReportedOnce() throws IOException {
        write("partners.yaml", PARTNERS.replace("    delivery:\n", "    delivery: &d\n") + """
                  - id: cd-52
                    kind: departement
                    name: CD 52
                    delivery: *d
                """);
        write("routes.yaml", ROUTES);

        assertThat(problems()).containsExactly("partners.yaml:15:15: YAML aliases ('*d') are not supported: "
                + "write the value out");
    }

    /** Before: a file saved in Latin-1 loaded, its accented letters replaced by U+FFFD. */
    @Test
    void aFileNotInUtf8IsReportedWhereItStopsBeingUtf8() throws IOException {
        Files.write(dir.resolve("partners.yaml"), PARTNERS.replace("Conseil départemental", "Conseil d\u00e9p.")
                .getBytes(StandardCharsets.ISO_8859_1));
        write("routes.yaml", ROUTES);

        assertThat(problems()).containsExactly("partners.yaml:9:20: the file is not UTF-8: byte 0xE9 cannot "
                + "start here (save the file as UTF-8)");
    }

    @Test
    void aByteOrderMarkIsAccepted() throws Exception {
        write("partners.yaml", "\uFEFF" + PARTNERS);
        write("routes.yaml", ROUTES);

        assertThat(loader.load(dir).partners()).hasSize(2);
    }

    /** Before: read and parsed whatever its size (a 20 MB line took minutes, holding the reload lock). */
    @Test
    void aFileOverOneMebibyteIsRefusedUnread() throws IOException {
        write("partners.yaml", PARTNERS + "# " + "x".repeat(1 << 20) + "\n");
        write("routes.yaml", ROUTES);

        assertThat(problems()).containsExactly("partners.yaml:0:0: the file is " + (PARTNERS.getBytes(StandardCharsets.UTF_8).length + 3 + (1 << 20))
                + " bytes: a configuration file is at most 1048576 bytes (1 MiB)");
    }

    /** Before: '${A:${B:c}}' silently became the text '${B:c}'. */
    @Test
    void aPlaceholderInsideADefaultIsReported() throws IOException {
        write("partners.yaml", PARTNERS.replace("CAF de la Marne", "\"${CAF_NAME:${OTHER:CAF}}\""));
        write("routes.yaml", ROUTES);

        assertThat(problems()).containsExactly("partners.yaml:4:11: nested placeholder in "
                + "'${CAF_NAME:${OTHER:CAF}}': a default cannot contain a placeholder");
    }
    /** Before: '!!binary aGVsbG8=' gave the text 'aGVsbG8=', '!secret x' the text 'x', without a word. */
    @Test
    void aTagIsReportedExceptTheStringOne() throws Exception {
        write("partners.yaml", PARTNERS.replace("name: CAF de la Marne", "name: !!binary Q0FG")
                .replace("name: Conseil départemental", "name: !vault cd-51-name"));
        write("routes.yaml", ROUTES);

        assertThat(problems()).containsExactly(
                "partners.yaml:4:11: YAML tags ('!!binary') are not supported: write the value out",
                "partners.yaml:9:11: YAML tags ('!vault') are not supported: write the value out");

        write("partners.yaml", PARTNERS.replace("name: CAF de la Marne", "name: !!str 51"));
        assertThat(loader.load(dir).partner("caf-51").orElseThrow().name()).isEqualTo("51");
    }
}

package fr.spie.gateway.admin;

import fr.spie.gateway.SpieProperties;
import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.RecordTypes;
import fr.spie.gateway.outbound.OutboundTransports;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.schema.SpieSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** The reload path without Spring or Camel: what is swapped in, refused, audited. */
class ConfigReloaderTest {
    static final String PARTNERS = """
            partners:
              - id: caf-51
                kind: caf
                name: CAF de la Marne
              - id: cd-51
                kind: departement
                name: Conseil départemental
                delivery:
                  url: http://localhost:18103/spie/v1/records
              - id: cd-52
                kind: departement
                name: Conseil départemental 52
                delivery:
                  url: http://localhost:18104/spie/v1/records
            """;
    static final String ROUTES = """
            routes:
              - id: rsa-caf-to-cd
                description: RSA situations to the département
                recordTypes: [person, rsa-situation]
                from: caf-51
                to: [cd-51]
                purpose: rsa-orientation
                legalBasis:
                  type: legal-obligation
                  reference: CASF art. L262-40
            """;

    @TempDir
    Path dir;
    final List<AuditEvent> audited = new ArrayList<>();
    final List<String> started = new ArrayList<>();
    RuntimeException routeStartFailure;
    /** The variables of the placeholders, read when the loader asks for them. */
    final Map<String, Supplier<String>> variables = new HashMap<>();
    RoutingConfigHolder holder;
    ConfigReloader reloader;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("partners.yaml"), PARTNERS);
        Files.writeString(dir.resolve("routes.yaml"), ROUTES);
        holder = new RoutingConfigHolder(new GatewayConfigLoader(RecordTypes.V1, k -> null).load(dir));
        AuditTrail audit = new AuditTrail(null, null) {
            @Override
            public void append(AuditEvent event) {
                audited.add(event);
            }
        };
        // the delivery route of cd-51 runs, as started with the initial configuration
        OutboundTransports transports = new OutboundTransports(new SpieProperties(null, null, null, null, null, null),
                null, null);
        transports.forRecipient(holder.current().partner("cd-51").orElseThrow());
        RecipientRouteRegistrar routes = new RecipientRouteRegistrar(null, null, null, null, transports, null, null) {
            @Override
            public void addRoutesForNewRecipients(GatewayConfig next) {
                if (routeStartFailure != null) {
                    throw routeStartFailure;
                }
                started.add(next.version());
            }
        };
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new PropertySource<>("test") {
            @Override
            public Object getProperty(String name) {
                Supplier<String> variable = variables.get(name);
                return variable == null ? null : variable.get();
            }
        });
        reloader = new ConfigReloader(holder, routes, audit,
                new SpieProperties(dir.resolve("data").toString(), dir.toString(), null, null, null, null),
                SpieSchemas.load(), env, Duration.ZERO);
    }

    /** The version of the files on disk, with the variables the reloader reads. */
    String versionOnDisk() {
        return new GatewayConfigLoader(RecordTypes.V1, name -> {
            Supplier<String> variable = variables.get(name);
            return variable == null ? null : variable.get();
        }).versionOf(dir);
    }

    void addRecipientCd52() throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), ROUTES.replace("to: [cd-51]", "to: [cd-51, cd-52]"));
    }

    @Test
    void aValidEditIsSwappedInAndAudited() throws IOException {
        String before = holder.current().version();
        addRecipientCd52();

        ConfigReloader.Outcome outcome = reloader.reload("admin");

        assertThat(outcome.outcome()).isEqualTo("loaded");
        assertThat(holder.current().version()).isNotEqualTo(before).isEqualTo(outcome.version());
        assertThat(started).containsExactly(outcome.version());
        assertThat(audited).singleElement().extracting(AuditEvent::type).isEqualTo(AuditEventType.CONFIG_RELOADED);
        assertThat(reloader.reload("admin").outcome()).isEqualTo("unchanged");
    }

    /**
     * Before: the exception escaped the reload (a 500 for the admin API, a warning every interval for the watcher),
     * nothing was audited and GET /api/v1/admin/config did not show it.
     */
    @Test
    void anEditWhoseNewDeliveryRoutesCannotStartIsRefusedAndAudited() throws IOException {
        String before = holder.current().version();
        addRecipientCd52();
        routeStartFailure = new IllegalStateException("cannot start the delivery routes of [cd-52]: no broker");

        ConfigReloader.Outcome outcome = reloader.reload("admin");

        assertThat(outcome.outcome()).isEqualTo("refused");
        assertThat(outcome.version()).isEqualTo(versionOnDisk());
        assertThat(outcome.problems()).containsExactly("cannot start the delivery routes of [cd-52]: no broker");
        assertThat(holder.current().version()).isEqualTo(before);
        assertThat(reloader.lastRefused().problems()).isEqualTo(outcome.problems());
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(AuditEventType.CONFIG_RELOAD_REFUSED);
            assertThat(e.configVersion()).isEqualTo(before);
            assertThat(e.detail()).contains("cannot start the delivery routes of [cd-52]");
        });
    }

    @Test
    void anInvalidEditIsRefusedWithItsProblemsAndTheConfigInForceStays() throws IOException {
        String before = holder.current().version();
        Files.writeString(dir.resolve("routes.yaml"), ROUTES.replace("to: [cd-51]", "to: [cd-53]"));

        ConfigReloader.Outcome outcome = reloader.reload("admin");

        assertThat(outcome.outcome()).isEqualTo("refused");
        assertThat(outcome.problems()).containsExactly(
                "routes.yaml:6:10: route 'rsa-caf-to-cd': 'to' names unknown partner 'cd-53'");
        assertThat(holder.current().version()).isEqualTo(before);
        assertThat(started).isEmpty();
        assertThat(audited).singleElement().extracting(AuditEvent::type)
                .isEqualTo(AuditEventType.CONFIG_RELOAD_REFUSED);
    }
    /**
     * A file being written (an editor or a copy that truncates then writes) can be valid half-way: a routes.yaml cut
     * after a route. Before: the watcher swapped it in at once, and every delivery attempted until the next
     * look at the files was blocked for good (route-not-in-config). Now it loads files that stayed the same between
     * two looks.
     */
    @Test
    void theWatcherLoadsFilesThatStayedTheSameForOneInterval() throws IOException {
        String routes = ROUTES + """
                  - id: rsa-caf-to-cd-52
                    description: RSA situations to the département 52
                    recordTypes: [person]
                    from: caf-51
                    to: [cd-52]
                    purpose: rsa-orientation
                    legalBasis:
                      type: legal-obligation
                      reference: CASF art. L262-40
                """;
        String before = holder.current().version();
        // half-way through the write: valid, one route only, and not the route in force
        Files.writeString(dir.resolve("routes.yaml"), ROUTES.replace("[person, rsa-situation]", "[person]"));
        reloader.poll();
        assertThat(holder.current().version()).isEqualTo(before);

        Files.writeString(dir.resolve("routes.yaml"), routes);
        reloader.poll();
        assertThat(holder.current().version()).isEqualTo(before);
        reloader.poll();
        assertThat(holder.current().routes()).hasSize(2);
        assertThat(audited).singleElement().extracting(AuditEvent::type).isEqualTo(AuditEventType.CONFIG_RELOADED);
        reloader.poll();
        assertThat(audited).hasSize(1);
    }
    /**
     * The watcher's second look found the files as at its first, and the editor truncated routes.yaml and wrote its
     * first part (valid alone) right after: the load must not swap in what it then reads. Before: it loaded the
     * half-written file, which had never stayed the same for one interval (every delivery of the second route
     * attempted until the next look was blocked for good); now the watcher loads only the files it saw stay the same,
     * and takes a load that read other files for one more look.
     */
    @Test
    void theWatcherDoesNotLoadFilesThatChangedAfterItsSecondLook() throws IOException {
        String whole = ROUTES.replace("description: RSA situations to the département",
                "description: \"${DESCRIPTION:RSA situations to the département}\"") + """
                  - id: rsa-caf-to-cd-52
                    description: RSA situations to the département 52
                    recordTypes: [person]
                    from: caf-51
                    to: [cd-52]
                    purpose: rsa-orientation
                    legalBasis:
                      type: legal-obligation
                      reference: CASF art. L262-40
                """;
        String firstPart = ROUTES.replace("[person, rsa-situation]", "[person]");
        java.util.concurrent.atomic.AtomicBoolean editorWrites = new java.util.concurrent.atomic.AtomicBoolean();
        // routes.yaml is read last: its placeholder is resolved once its bytes are read, when the editor truncates it
        variables.put("DESCRIPTION", () -> {
            if (editorWrites.getAndSet(false)) {
                try {
                    Files.writeString(dir.resolve("routes.yaml"), firstPart);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return null;
        });
        String before = holder.current().version();
        Files.writeString(dir.resolve("routes.yaml"), whole);
        reloader.poll();
        editorWrites.set(true);
        reloader.poll();
        assertThat(holder.current().version()).as("the half-written file is not loaded").isEqualTo(before);
        assertThat(audited).isEmpty();

        Files.writeString(dir.resolve("routes.yaml"), whole);
        reloader.poll();
        reloader.poll();
        assertThat(holder.current().routes()).hasSize(2);
        assertThat(audited).singleElement().extracting(AuditEvent::type).isEqualTo(AuditEventType.CONFIG_RELOADED);
    }
    /**
     * The delivery route of a recipient runs with the settings it started with (docs/routing.md). Before: the reload
     * answered 'loaded' and said nothing, so an admin who changed a URL believed it in force.
     */
    @Test
    void aReloadNamesTheRecipientsWhoseChangedDeliverySettingsAwaitARestart() throws IOException {
        Files.writeString(dir.resolve("partners.yaml"), PARTNERS.replace("localhost:18103", "cd51.example.fr"));

        ConfigReloader.Outcome outcome = reloader.reload("admin");

        assertThat(outcome.outcome()).isEqualTo("loaded");
        assertThat(outcome.deliverySettingsAwaitingRestart()).containsExactly("cd-51");
        assertThat(audited).singleElement().extracting(AuditEvent::detail).asString()
                .endsWith("; delivery settings changed, in force at the next start: [cd-51]");
    }
    @Test
    void subjectFieldsTakeEffectAtOnceAndAwaitNoRestart() throws IOException {
        Files.writeString(dir.resolve("partners.yaml"), PARTNERS.replace(
                "      url: http://localhost:18103/spie/v1/records",
                "      url: http://localhost:18103/spie/v1/records\n      subjectFields: [birthName, givenNames]"));

        ConfigReloader.Outcome outcome = reloader.reload("admin");

        assertThat(outcome.outcome()).isEqualTo("loaded");
        assertThat(outcome.deliverySettingsAwaitingRestart()).isEmpty();
        assertThat(holder.current().partner("cd-51").orElseThrow().delivery().subjectFields())
                .containsExactly("birthName", "givenNames");
    }
    /**
     * The files are saved again while a reload reads them: the refusal is of the files it read. Before: it was
     * recorded under the version of the files on disk after the load, so the watcher took the newer, valid files for
     * refused ones and never loaded them.
     */
    @Test
    void aRefusalIsOfTheFilesItReadNotOfFilesSavedMeanwhile() throws IOException {
        String before = holder.current().version();
        String fixedPartners = PARTNERS.replace("Conseil départemental 52", "CD 52");
        // an invalid routes.yaml; reading its placeholder, the admin saves a valid partners.yaml
        Files.writeString(dir.resolve("routes.yaml"), ROUTES.replace("to: [cd-51]", "to: [\"${CD:cd-53}\"]"));
        variables.put("CD", () -> {
            try {
                Files.writeString(dir.resolve("routes.yaml"), ROUTES);
                Files.writeString(dir.resolve("partners.yaml"), fixedPartners);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return null;
        });

        ConfigReloader.Outcome refused = reloader.reload("admin");

        assertThat(refused.outcome()).isEqualTo("refused");
        assertThat(refused.version()).isNotEqualTo(versionOnDisk());
        variables.clear();
        reloader.poll();
        reloader.poll();
        assertThat(holder.current().version()).isNotEqualTo(before).isEqualTo(versionOnDisk());
    }
    /** The watcher refuses files once, and does not load them again while they stay as they are. */
    @ParameterizedTest
    @ValueSource(strings = {"unknown partner", "oversized file", "no directory"})
    void theWatcherRefusesFilesOnce(String edit) throws IOException {
        switch (edit) {
            case "unknown partner" -> Files.writeString(dir.resolve("routes.yaml"),
                    ROUTES.replace("to: [cd-51]", "to: [cd-53]"));
            case "oversized file" -> Files.writeString(dir.resolve("partners.yaml"),
                    PARTNERS + "#" + "x".repeat(1 << 20) + "\n");
            default -> {
                for (String file : List.of("partners.yaml", "routes.yaml")) {
                    Files.delete(dir.resolve(file));
                }
                Files.delete(dir);
            }
        }
        for (int look = 0; look < 6; look++) {
            reloader.poll();
        }

        assertThat(audited).singleElement().extracting(AuditEvent::type)
                .isEqualTo(AuditEventType.CONFIG_RELOAD_REFUSED);
        assertThat(reloader.lastRefused().version()).isEqualTo(versionOnDisk());
    }
}

package fr.spie.gateway.config;

import com.networknt.schema.Schema;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Loads and checks a routing configuration directory: {@code partners.yaml}, {@code routes.yaml} and (optional)
 * {@code access.yaml}.
 * <p>
 * Each file is read with the position of every value, its {@code ${NAME:default}} placeholders are resolved from the
 * environment, it is validated against its JSON Schema (schemas module, {@code spie/schemas/config/}), then the files
 * are checked together (unique ids, routes that name declared partners with a delivery endpoint, known record types,
 * legal bases, no partner routing to itself, no token shared by two identities). Every problem of every file is
 * reported at once, each with its file, line and column. Plain Java: the Spring wiring lives elsewhere.
 * <p>
 * {@link ConfigFiles} reads the files; {@link PartnerReader}, {@link RouteReader} and {@link OperatorReader} read what
 * they declare, and {@link TokenHashReader} checks the token hashes across them.
 */
public final class GatewayConfigLoader {
    public static final String PARTNERS_FILE = "partners.yaml";
    public static final String ROUTES_FILE = "routes.yaml";
    public static final String ACCESS_FILE = "access.yaml";

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final int DEFAULT_MAX_ATTEMPTS = 6;
    static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    static final double DEFAULT_MULTIPLIER = 2.0;
    static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);
    static final double DEFAULT_JITTER = 0.2;

    /** The record type of consent receipts: registered by the gateway, never routed. */
    public static final String CONSENT_RECORD_TYPE = "consent";

    private final Set<String> knownRecordTypes;
    private final BiPredicate<String, String> pointerCheck;
    private final Function<String, String> env;
    private final ConfigSchemas schemas = new ConfigSchemas();
    private final Map<String, Schema> schemaByFile = new HashMap<>();

    /**
     * @param knownRecordTypes the SPIE record types routes may carry (from the schema module)
     * @param env              environment lookup for placeholders, {@code System::getenv} in production
     */
    public GatewayConfigLoader(Set<String> knownRecordTypes, Function<String, String> env) {
        this(knownRecordTypes, env, fr.spie.schema.SpieSchemas.load()::definesPointer);
    }

    /**
     * @param pointerCheck whether a JSON Pointer names a field of a record type's schema (release allow-lists),
     *                     {@code SpieSchemas::definesPointer} in production
     */
    public GatewayConfigLoader(Set<String> knownRecordTypes, Function<String, String> env,
                               BiPredicate<String, String> pointerCheck) {
        this.pointerCheck = Objects.requireNonNull(pointerCheck, "pointerCheck");
        this.knownRecordTypes = Set.copyOf(knownRecordTypes);
        this.env = Objects.requireNonNull(env, "env");
        schemaByFile.put(PARTNERS_FILE, schemas.schema("partners"));
        schemaByFile.put(ROUTES_FILE, schemas.schema("routes"));
        schemaByFile.put(ACCESS_FILE, schemas.schema("access"));
    }

    /** Reads placeholders from the process environment. */
    public GatewayConfigLoader(Set<String> knownRecordTypes) {
        this(knownRecordTypes, System::getenv);
    }

    /**
     * @param dir the configuration directory
     * @return the validated snapshot, stamped with its version and load time
     * @throws InvalidConfigException with every problem found, sorted by file, line and column
     */
    public GatewayConfig load(Path dir) throws InvalidConfigException {
        return load(dir, false).config();
    }

    /**
     * What a configuration says, for a tool that only reads it (partners' names, routes' purposes and legal bases)
     * in an environment that lacks variables its placeholders need without a default (delivery URLs, secrets: what
     * only the gateway's own environment holds). The values of those placeholders are left out, as invalid values
     * are; any other problem fails as {@link #load} does. Never for running a gateway.
     */
    public ReadableConfig loadForReading(Path dir) throws InvalidConfigException {
        return load(dir, true);
    }

    /**
     * @param config        the configuration, without the values whose variable is not set
     * @param unsetVariables those variables, in file order
     */
    public record ReadableConfig(GatewayConfig config, List<String> unsetVariables) {
    }

    private ReadableConfig load(Path dir, boolean withoutUnsetVariables) throws InvalidConfigException {
        if (!Files.isDirectory(dir)) {
            throw new InvalidConfigException(List.of(new ConfigProblem(dir.toString(), 0, 0, Files.exists(dir)
                    ? "not a directory: give the configuration directory (the one holding partners.yaml and "
                    + "routes.yaml), not a file" : "configuration directory not found")),
                    ConfigVersion.of(Map.of(), Map.of()));
        }
        ConfigFiles files = ConfigFiles.read(dir, env, schemas, schemaByFile);
        TokenHashReader tokens = new TokenHashReader();
        PartnerReader partnerReader = new PartnerReader(files.document(PARTNERS_FILE), tokens);
        List<Partner> partners = partnerReader.partners();
        List<Route> routes = new RouteReader(files.document(ROUTES_FILE), knownRecordTypes, pointerCheck,
                partnerReader.declared(), partnerReader.deliveryTransports(), partnerReader.readable()).routes();
        List<Operator> operators = new OperatorReader(files.document(ACCESS_FILE), tokens).operators();
        tokens.checkTokensAreUnique();
        List<ConfigProblem> problems = new ArrayList<>(files.problems());
        problems.sort(null);
        List<String> unset = new ArrayList<>();
        if (withoutUnsetVariables) {
            for (ConfigProblem problem : problems) {
                String variable = files.unsetVariable(problem);
                if (variable != null && !unset.contains(variable)) {
                    unset.add(variable);
                }
            }
            problems.removeIf(p -> files.unsetVariable(p) != null);
            // a partner left out only for a value whose variable is not set is still named
            partners = new ArrayList<>(partners);
            partners.addAll(partnerReader.leftOutByName());
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems, files.version());
        }
        return new ReadableConfig(new GatewayConfig(files.version(), Instant.now(), dir, partners, routes,
                operators), List.copyOf(unset));
    }

    /**
     * The version the files of {@code dir} would have once loaded (same hash as {@link GatewayConfig#version()}, with
     * the same placeholder values), without building the configuration: lets a watcher see a change of the files (a
     * file over the size limit counts by its size, unread).
     */
    public String versionOf(Path dir) {
        if (!Files.isDirectory(dir)) {
            return ConfigVersion.of(Map.of(), Map.of());
        }
        return ConfigFiles.read(dir, env, schemas, schemaByFile).version();
    }

    /** A release pointer without its array indexes: {@code /suspensions/0/reasonCode} → {@code /suspensions/reasonCode}. */
    public static String normalisePointer(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String segment : pointer.substring(1).split("/", -1)) {
            if (!segment.isEmpty() && !segment.chars().allMatch(Character::isDigit)) {
                sb.append('/').append(segment);
            }
        }
        return sb.toString();
    }

    /** {@code /partners/0/delivery/url} as {@code partners[0].delivery.url}, as in schema problems. */
    static String readable(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.substring(1).split("/")) {
            String name = part.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(name).append(']');
            } else {
                sb.append(sb.isEmpty() ? "" : ".").append(name);
            }
        }
        return sb.toString();
    }

    /** The settings block of a transport, or null for spie-json (which has none). */
    static String block(String transport) {
        return switch (transport) {
            case TransportSettings.FRANCE_TRAVAIL_API -> "franceTravailApi";
            case TransportSettings.IMILO_API -> "imiloApi";
            case TransportSettings.DEPARTEMENT_FILE -> "departementFile";
            default -> null;
        };
    }

    /** Why a departement-file name template is unusable, or null. */
    static String fileNameProblem(String template) {
        return TransportSettingsReader.fileNameProblem(template);
    }

    /** The string at {@code key} of {@code object}, or null (absent, or not a string). */
    static String text(JsonNode object, String key) {
        JsonNode value = object == null ? null : object.get(key);
        return value != null && value.isString() ? value.asString() : null;
    }

    /** The values in their natural order, as problems list them. */
    static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}

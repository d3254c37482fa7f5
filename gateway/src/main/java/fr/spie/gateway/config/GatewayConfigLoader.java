package fr.spie.gateway.config;

import com.networknt.schema.Schema;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Loads and checks a routing configuration directory: {@code partners.yaml}, {@code routes.yaml} and (optional)
 * {@code access.yaml}.
 * <p>
 * Each file is read with the position of every value, its {@code ${NAME:default}} placeholders are resolved from the
 * environment, it is validated against its JSON Schema (schemas module, {@code spie/schemas/config/}), then the files
 * are checked together (unique ids, routes that name declared partners with a delivery endpoint, known record types,
 * legal bases, no partner routing to itself, no token shared by two identities). Every problem of every file is
 * reported at once, each with its file, line and column. Plain Java: the Spring wiring lives elsewhere.
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

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final tools.jackson.databind.json.JsonMapper MAPPER =
            tools.jackson.databind.json.JsonMapper.builder().build();
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Class<Map<String, Object>> MAP_TYPE = (Class) Map.class;

    /** The record type of consent receipts: registered by the gateway, never routed. */
    public static final String CONSENT_RECORD_TYPE = "consent";
    private static final Route.ConsentRequirement NO_CONSENT = new Route.ConsentRequirement(List.of());
    private static final Route.ConsentRequirement INVALID_CONSENT = new Route.ConsentRequirement(List.of());

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
        if (!Files.isDirectory(dir)) {
            throw new InvalidConfigException(List.of(new ConfigProblem(dir.toString(), 0, 0,
                    "configuration directory not found")));
        }
        Run run = new Run(dir);
        run.read();
        List<Partner> partners = run.partners();
        List<Route> routes = run.routes();
        List<Operator> operators = run.operators();
        run.checkTokensAreUnique();
        if (!run.problems.isEmpty()) {
            run.problems.sort(null);
            throw new InvalidConfigException(run.problems);
        }
        return new GatewayConfig(version(run.raw), Instant.now(), dir, partners, routes, operators);
    }

    /**
     * The version the files of {@code dir} would have once loaded (same hash as {@link GatewayConfig#version()}),
     * without checking them: lets a watcher see a change cheaply.
     */
    public static String versionOf(Path dir) throws IOException {
        Map<String, byte[]> raw = new TreeMap<>();
        for (String file : List.of(ACCESS_FILE, PARTNERS_FILE, ROUTES_FILE)) {
            Path path = dir.resolve(file);
            if (Files.isRegularFile(path)) {
                raw.put(file, Files.readAllBytes(path));
            }
        }
        return version(raw);
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

    /**
     * The config version: SHA-256 (lowercase hex) over, for each file in name order, its name in UTF-8, a newline,
     * its length in bytes in decimal, a newline, and its raw bytes (before placeholder resolution).
     */
    static String version(Map<String, byte[]> raw) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> file : new TreeMap<>(raw).entrySet()) {
                sha.update((file.getKey() + "\n" + file.getValue().length + "\n").getBytes(StandardCharsets.UTF_8));
                sha.update(file.getValue());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The state of one load: documents, problems, and what the files declared so far. */
    private final class Run {
        final Path dir;
        final List<ConfigProblem> problems = new ArrayList<>();
        final Map<String, byte[]> raw = new TreeMap<>();
        final Map<String, YamlDocument> docs = new HashMap<>();
        /** Pointers (per file) that already have a schema problem: no second, derived problem is reported there. */
        final Map<String, Set<String>> flagged = new HashMap<>();
        /** Declared partner ids (even of partners with other problems) → whether they declare a delivery. */
        final Map<String, Boolean> declaredPartners = new LinkedHashMap<>();
        boolean partnersReadable;
        final List<TokenUse> allTokenUses = new ArrayList<>();

        Run(Path dir) {
            this.dir = dir;
        }

        void read() {
            for (String file : List.of(ACCESS_FILE, PARTNERS_FILE, ROUTES_FILE)) {
                Path path = dir.resolve(file);
                if (!Files.isRegularFile(path)) {
                    if (!file.equals(ACCESS_FILE)) {
                        String yml = file.replace(".yaml", ".yml");
                        problems.add(new ConfigProblem(file, 0, 0, "required file not found in " + dir
                                + (Files.exists(dir.resolve(yml)) ? " (found " + yml + ": rename it to " + file + ")"
                                : "")));
                    }
                    continue;
                }
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(path);
                } catch (IOException e) {
                    problems.add(new ConfigProblem(file, 0, 0, "cannot read the file: " + e.getMessage()));
                    continue;
                }
                raw.put(file, bytes);
                YamlDocument doc = YamlDocument.parse(file, new String(bytes, StandardCharsets.UTF_8));
                problems.addAll(doc.problems());
                if (doc.root() == null) {
                    continue;
                }
                Set<String> bad = new HashSet<>();
                for (Placeholders.Unresolved u : new Placeholders(env).resolve(doc)) {
                    problems.add(u.problem());
                    bad.add(u.pointer());
                }
                Set<String> unresolved = Set.copyOf(bad);
                for (ConfigSchemas.Violation v : schemas.validate(schemaByFile.get(file), doc)) {
                    // a value whose placeholder is unresolved is already reported: do not report it twice
                    if (!unresolved.contains(v.pointer())) {
                        problems.add(v.problem());
                    }
                    bad.add(v.pointer());
                }
                flagged.put(file, bad);
                docs.put(file, doc);
            }
        }

        boolean flagged(String file, String pointer) {
            return flagged.getOrDefault(file, Set.of()).contains(pointer);
        }

        void report(YamlDocument doc, String pointer, String message) {
            if (!flagged(doc.file(), pointer)) {
                problems.add(doc.problemAt(pointer, message));
            }
        }

        List<Partner> partners() {
            List<Partner> partners = new ArrayList<>();
            YamlDocument doc = docs.get(PARTNERS_FILE);
            JsonNode list = doc == null ? null : doc.root().get("partners");
            if (list == null || !list.isArray()) {
                return partners;
            }
            partnersReadable = true;
            Map<String, String> firstPointer = new HashMap<>();
            PartnerAuthReader auth = new PartnerAuthReader(doc, pointer -> flagged(PARTNERS_FILE, pointer),
                    (pointer, message) -> report(doc, pointer, message));
            for (int i = 0; i < list.size(); i++) {
                JsonNode node = list.get(i);
                String at = YamlDocument.child("/partners", i);
                if (!node.isObject()) {
                    continue;
                }
                String id = text(node, "id");
                boolean valid = id != null && !flagged(PARTNERS_FILE, at + "/id");
                if (id != null) {
                    String first = firstPointer.putIfAbsent(id, at);
                    if (first != null) {
                        report(doc, at + "/id", "duplicate partner id '" + id + "' (already declared at line "
                                + doc.valueAt(first).line() + ")");
                        valid = false;
                    } else {
                        declaredPartners.put(id, node.has("delivery"));
                    }
                }
                PartnerKind kind = null;
                try {
                    kind = text(node, "kind") == null ? null : PartnerKind.fromConfigName(text(node, "kind"));
                } catch (IllegalArgumentException e) {
                    report(doc, at + "/kind", e.getMessage());
                }
                String name = text(node, "name");
                Set<String> tokens = tokens(doc, node.path("auth").get("tokenSha256"), at + "/auth/tokenSha256",
                        "partner '" + id + "'");
                Set<AuthMethod> methods = auth.methods(node.path("auth"), at + "/auth");
                PartnerAuthReader.Result certificate = auth.certificate(id, node.path("auth"), at + "/auth", methods);
                valid &= methods != null && certificate.valid();
                Delivery delivery = null;
                if (node.has("delivery")) {
                    delivery = delivery(doc, node.get("delivery"), at + "/delivery");
                    valid &= delivery != null;
                }
                FileChannel files = null;
                if (node.has("files")) {
                    files = files(doc, node.get("files"), at + "/files");
                    valid &= files != null;
                }
                PartnerPull pull = null;
                if (node.has("pull")) {
                    pull = pull(doc, node.get("pull"), at + "/pull");
                    valid &= pull != null;
                }
                if (valid && kind != null && name != null) {
                    partners.add(new Partner(id, kind, name, tokens, delivery, files, methods,
                            certificate.certificate(), pull));
                }
            }
            return partners;
        }

        Set<String> tokens(YamlDocument doc, JsonNode node, String pointer, String owner) {
            Set<String> tokens = new LinkedHashSet<>();
            if (node == null) {
                return tokens;
            }
            if (node.isString()) {
                addToken(doc, tokens, node.asString(), pointer, owner);
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    if (node.get(i).isString()) {
                        addToken(doc, tokens, node.get(i).asString(), YamlDocument.child(pointer, i), owner);
                    }
                }
            }
            return tokens;
        }

        private void addToken(YamlDocument doc, Set<String> tokens, String hash, String pointer, String owner) {
            if (hash.isEmpty() || flagged(doc.file(), pointer) || !SHA256_HEX.matcher(hash).matches()) {
                return;
            }
            tokens.add(hash);
            allTokenUses.add(new TokenUse(hash, new Use(owner, doc, pointer)));
        }

        Delivery delivery(YamlDocument doc, JsonNode node, String at) {
            if (!node.isObject()) {
                return null;
            }
            boolean valid = true;
            String transportName = text(node, "transport");
            if (transportName == null) {
                transportName = TransportSettings.SPIE_JSON;
            } else if (flagged(doc.file(), at + "/transport")) {
                return null;
            }
            URI url = null;
            if (node.has("url") && !TransportSettings.SPIE_JSON.equals(transportName)) {
                report(doc, at + "/url", readable(at + "/url") + ": transport '" + transportName
                        + "' does not use url (its endpoint is in " + readable(at + "/" + block(transportName)) + ")");
                valid = false;
            } else if (node.has("url")) {
                url = url(doc, node, at, "url");
                valid &= url != null;
            } else if (TransportSettings.SPIE_JSON.equals(transportName)) {
                report(doc, at, readable(at) + ": missing required key 'url' (transport spie-json posts the records"
                        + " to it)");
                valid = false;
            }
            TransportSettings transport = transport(doc, node, at, transportName);
            valid &= transport != null;
            if (node.has("signature")) {
                String sigAt = at + "/signature";
                if (!TransportSettings.SPIE_JSON.equals(transportName)) {
                    report(doc, sigAt, readable(sigAt) + ": transport '" + transportName
                            + "' does not sign requests (signature is for transport spie-json)");
                    valid = false;
                } else if (flagged(doc.file(), sigAt) || anyFlagged(doc, sigAt, "header", "secret")) {
                    valid = false;
                } else {
                    String header = text(node.get("signature"), "header");
                    String secret = text(node.get("signature"), "secret");
                    if (header == null || secret == null) {
                        valid = false;
                    } else {
                        transport = new TransportSettings.SpieJson(new TransportSettings.Signature(header, secret));
                    }
                }
            }
            Duration connectTimeout = duration(doc, node, at, "connectTimeout", DEFAULT_CONNECT_TIMEOUT);
            Duration timeout = duration(doc, node, at, "timeout", DEFAULT_TIMEOUT);
            JsonNode backoff = node.path("backoff");
            String backoffAt = at + "/backoff";
            Duration initial = duration(doc, backoff, backoffAt, "initial", DEFAULT_INITIAL_BACKOFF);
            Duration max = duration(doc, backoff, backoffAt, "max", DEFAULT_MAX_BACKOFF);
            valid &= connectTimeout != null && timeout != null && initial != null && max != null;
            if (initial != null && max != null && max.compareTo(initial) < 0) {
                String pointer = backoffAt + (backoff.has("max") ? "/max" : "/initial");
                report(doc, pointer, readable(pointer) + ": backoff.max (" + max
                        + ") is shorter than backoff.initial (" + initial + ")");
                valid = false;
            }
            JsonNode attempts = node.get("maxAttempts");
            JsonNode multiplier = backoff.get("multiplier");
            JsonNode jitter = backoff.get("jitter");
            JsonNode rate = node.get("maxRatePerSecond");
            JsonNode outage = node.path("outage");
            String outageAt = at + "/outage";
            JsonNode pauseAfter = outage.get("pauseAfterFailures");
            Duration probeEvery = duration(doc, outage, outageAt, "probeEvery", Delivery.Outage.DEFAULT.probeEvery());
            valid &= (attempts == null || attempts.canConvertToInt()) && (multiplier == null || multiplier.isNumber())
                    && (jitter == null || jitter.isNumber()) && (rate == null || rate.isNumber())
                    && (pauseAfter == null || pauseAfter.canConvertToInt()) && probeEvery != null;
            if (!valid || flagged(doc.file(), at + "/maxAttempts") || flagged(doc.file(), backoffAt + "/multiplier")
                    || flagged(doc.file(), backoffAt + "/jitter") || flagged(doc.file(), at + "/maxRatePerSecond")
                    || flagged(doc.file(), outageAt + "/pauseAfterFailures")) {
                return null;
            }
            return new Delivery(url, connectTimeout, timeout,
                    attempts == null ? DEFAULT_MAX_ATTEMPTS : attempts.asInt(),
                    initial, multiplier == null ? DEFAULT_MULTIPLIER : multiplier.asDouble(),
                    max, jitter == null ? DEFAULT_JITTER : jitter.asDouble(), transport,
                    rate == null ? null : rate.asDouble(),
                    new Delivery.Outage(pauseAfter == null ? Delivery.Outage.DEFAULT.pauseAfterFailures()
                            : pauseAfter.asInt(), probeEvery));
        }

        /** An http(s) URL with a host, or null (reported). */
        private URI url(YamlDocument doc, JsonNode parent, String at, String key) {
            String pointer = at + "/" + key;
            String urlText = text(parent, key);
            if (urlText == null || flagged(doc.file(), pointer)) {
                return null;
            }
            try {
                URI url = new URI(urlText);
                if (url.getHost() == null) {
                    report(doc, pointer, readable(pointer) + ": '" + urlText + "' has no host");
                    return null;
                }
                return url;
            } catch (URISyntaxException e) {
                report(doc, pointer, readable(pointer) + ": '" + urlText + "' is not a valid URL: " + e.getReason());
                return null;
            }
        }

        /**
         * The transport's settings, from its block (franceTravailApi, imiloApi, departementFile); a block of another
         * transport is a problem (it would be silently ignored). Null when invalid (reported).
         */
        TransportSettings transport(YamlDocument doc, JsonNode delivery, String at, String name) {
            boolean valid = true;
            for (String other : TransportSettings.NAMES) {
                String key = block(other);
                if (key != null && !other.equals(name) && delivery.has(key)) {
                    report(doc, at + "/" + key, readable(at + "/" + key) + ": settings of transport '" + other
                            + "', but the transport is '" + name + "' (set transport: " + other + " or remove them)");
                    valid = false;
                }
            }
            String key = block(name);
            if (key == null) {
                return valid ? new TransportSettings.SpieJson() : null;
            }
            String blockAt = at + "/" + key;
            JsonNode node = delivery.get(key);
            if (node == null) {
                report(doc, at, readable(at) + ": transport '" + name + "' needs its settings in "
                        + readable(blockAt));
                return null;
            }
            if (!valid || !node.isObject() || flagged(doc.file(), blockAt)) {
                return null;
            }
            return switch (name) {
                case TransportSettings.FRANCE_TRAVAIL_API -> franceTravailApi(doc, node, blockAt);
                case TransportSettings.IMILO_API -> imiloApi(doc, node, blockAt);
                case TransportSettings.DEPARTEMENT_FILE -> departementFile(doc, node, blockAt);
                default -> null;
            };
        }

        private TransportSettings franceTravailApi(YamlDocument doc, JsonNode node, String at) {
            URI apiUrl = url(doc, node, at, "apiUrl");
            URI authUrl = url(doc, node, at, "authUrl");
            String clientId = text(node, "clientId");
            String secret = text(node, "clientSecret");
            String scope = text(node, "scope");
            JsonNode agent = node.path("agent");
            if (apiUrl == null || authUrl == null || clientId == null || secret == null || scope == null
                    || anyFlagged(doc, at, "clientId", "clientSecret", "scope", "agent", "agent/identifiant",
                    "agent/nom", "agent/prenom")) {
                return null;
            }
            return new TransportSettings.FranceTravailApi(apiUrl, authUrl, clientId, secret, scope,
                    text(agent, "identifiant"), text(agent, "nom"), text(agent, "prenom"));
        }

        private TransportSettings imiloApi(YamlDocument doc, JsonNode node, String at) {
            URI url = url(doc, node, at, "url");
            String apiKey = text(node, "apiKey");
            if (url == null || apiKey == null || anyFlagged(doc, at, "apiKey", "recordTypes")) {
                return null;
            }
            Set<String> types = new LinkedHashSet<>();
            node.path("recordTypes").forEach(t -> types.add(t.asString()));
            return new TransportSettings.ImiloApi(url, apiKey, types);
        }

        private TransportSettings departementFile(YamlDocument doc, JsonNode node, String at) {
            String outbox = text(node, "outbox");
            String fileName = text(node, "fileName");
            boolean valid = outbox != null && !anyFlagged(doc, at, "outbox", "fileName", "mapping");
            if (fileName != null && !flagged(doc.file(), at + "/fileName")) {
                String problem = fileNameProblem(fileName);
                if (problem != null) {
                    report(doc, at + "/fileName", readable(at + "/fileName") + ": " + problem);
                    valid = false;
                }
            }
            String mappingName = null;
            Map<String, Object> inline = null;
            JsonNode mapping = node.get("mapping");
            if (mapping != null && !flagged(doc.file(), at + "/mapping")) {
                try {
                    fr.spie.connector.departement.FileMapping m;
                    if (mapping.isString()) {
                        mappingName = mapping.asString();
                        m = fr.spie.connector.departement.FileMapping.builtin(mappingName);
                    } else {
                        inline = MAPPER.treeToValue(mapping, MAP_TYPE);
                        m = fr.spie.connector.departement.FileMapping.fromMap(inline);
                    }
                    if (m.kind() != fr.spie.connector.departement.FileMapping.Kind.CSV) {
                        report(doc, at + "/mapping", readable(at + "/mapping") + ": mapping '" + m.name()
                                + "' is not a CSV mapping (the outbox takes CSV files)");
                        valid = false;
                    }
                } catch (RuntimeException e) {
                    report(doc, at + "/mapping", readable(at + "/mapping") + ": " + e.getMessage());
                    valid = false;
                }
            }
            return valid ? new TransportSettings.DepartementFile(outbox, mappingName, inline, fileName) : null;
        }

        private boolean anyFlagged(YamlDocument doc, String at, String... keys) {
            for (String key : keys) {
                if (flagged(doc.file(), at + "/" + key)) {
                    return true;
                }
            }
            return false;
        }

        /** How the gateway reads the partner's APIs; shape, record types and legal basis are checked by the schema. */
        PartnerPull pull(YamlDocument doc, JsonNode node, String at) {
            if (!node.isObject() || flagged(doc.file(), at)) {
                return null;
            }
            JsonNode api = node.get("franceTravailApi");
            String blockAt = at + "/franceTravailApi";
            if (api == null || !api.isObject() || flagged(doc.file(), blockAt)) {
                return null;
            }
            TransportSettings settings = franceTravailApi(doc, api, blockAt);
            String purpose = text(node, "purpose");
            JsonNode basis = node.path("legalBasis");
            String basisType = text(basis, "type");
            String reference = text(basis, "reference");
            Set<String> types = new LinkedHashSet<>();
            node.path("recordTypes").forEach(t -> types.add(t.asString()));
            if (!(settings instanceof TransportSettings.FranceTravailApi ft) || purpose == null || basisType == null
                    || reference == null || types.isEmpty() || !PartnerPull.RECORD_TYPES.containsAll(types)
                    || !LegalBasis.TYPES.contains(basisType)) {
                return null;
            }
            return new PartnerPull(ft, types, purpose, new LegalBasis(basisType, reference));
        }

        /** The partner's file channel; format, legal basis and encoding are already checked by the schema. */
        FileChannel files(YamlDocument doc, JsonNode node, String at) {
            if (!node.isObject() || flagged(doc.file(), at)) {
                return null;
            }
            String format = text(node, "format");
            String purpose = text(node, "purpose");
            JsonNode basis = node.path("legalBasis");
            String basisType = text(basis, "type");
            String reference = text(basis, "reference");
            String encoding = text(node, "encoding");
            boolean valid = format != null && purpose != null && basisType != null && reference != null
                    && FileChannel.FORMATS.contains(format) && LegalBasis.TYPES.contains(basisType);
            if (encoding != null && format != null && !FileChannel.ENCODING_FORMATS.contains(format)) {
                report(doc, at + "/encoding", readable(at + "/encoding") + ": format '" + format
                        + "' has no configurable encoding (only " + String.join(", ",
                        sorted(FileChannel.ENCODING_FORMATS)) + ")");
                valid = false;
            }
            String declaredCounts = text(node, "declaredCounts");
            if (declaredCounts != null && format != null && !FileChannel.CNAF_VRSB0801.equals(format)) {
                report(doc, at + "/declaredCounts", readable(at + "/declaredCounts") + ": only format '"
                        + FileChannel.CNAF_VRSB0801 + "' declares its totals");
                valid = false;
            }
            JsonNode mapping = node.get("mapping");
            String mappingName = null;
            Map<String, Object> inline = null;
            if (mapping != null && !flagged(doc.file(), at + "/mapping")) {
                if (!FileChannel.DEPARTEMENT_FILE.equals(format)) {
                    report(doc, at + "/mapping", readable(at + "/mapping") + ": only format '"
                            + FileChannel.DEPARTEMENT_FILE + "' takes a mapping");
                    valid = false;
                } else {
                    try {
                        if (mapping.isString()) {
                            mappingName = mapping.asString();
                            fr.spie.connector.departement.FileMapping.builtin(mappingName);
                        } else {
                            inline = MAPPER.treeToValue(mapping, MAP_TYPE);
                            fr.spie.connector.departement.FileMapping.fromMap(inline);
                        }
                    } catch (RuntimeException e) {
                        report(doc, at + "/mapping", readable(at + "/mapping") + ": " + e.getMessage());
                        valid = false;
                    }
                }
            } else if (mapping != null) {
                valid = false;
            }
            if (!valid) {
                return null;
            }
            return new FileChannel(format, purpose, new LegalBasis(basisType, reference), encoding, mappingName,
                    inline, declaredCounts);
        }

        private Duration duration(YamlDocument doc, JsonNode parent, String at, String key, Duration fallback) {
            JsonNode node = parent.get(key);
            if (node == null) {
                return fallback;
            }
            String pointer = YamlDocument.child(at, key);
            if (!node.isString() || flagged(doc.file(), pointer)) {
                return null;
            }
            try {
                return Durations.parse(node.asString());
            } catch (IllegalArgumentException e) {
                report(doc, pointer, readable(pointer) + ": " + e.getMessage());
                return null;
            }
        }

        List<Route> routes() {
            List<Route> routes = new ArrayList<>();
            YamlDocument doc = docs.get(ROUTES_FILE);
            JsonNode list = doc == null ? null : doc.root().get("routes");
            if (list == null || !list.isArray()) {
                return routes;
            }
            Map<String, String> firstPointer = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode node = list.get(i);
                String at = YamlDocument.child("/routes", i);
                if (!node.isObject()) {
                    continue;
                }
                String id = text(node, "id");
                String label = "route '" + (id == null ? "#" + (i + 1) : id) + "'";
                boolean valid = id != null;
                if (id != null) {
                    String first = firstPointer.putIfAbsent(id, at);
                    if (first != null) {
                        report(doc, at + "/id", "duplicate route id '" + id + "' (already declared at line "
                                + doc.valueAt(first).line() + ")");
                        valid = false;
                    }
                }
                Set<String> recordTypes = new LinkedHashSet<>();
                JsonNode types = node.get("recordTypes");
                if (types != null && types.isArray()) {
                    for (int t = 0; t < types.size(); t++) {
                        String type = types.get(t).isString() ? types.get(t).asString() : null;
                        String pointer = YamlDocument.child(at + "/recordTypes", t);
                        if (type != null && !knownRecordTypes.contains(type)) {
                            report(doc, pointer, label + ": unknown record type '" + type + "' (known: "
                                    + String.join(", ", sorted(knownRecordTypes)) + ")");
                            valid = false;
                        } else if (type != null) {
                            recordTypes.add(type);
                        }
                    }
                }
                List<String> from = partnerRefs(doc, node, at, "from", label);
                List<String> to = partnerRefs(doc, node, at, "to", label);
                valid &= from != null && to != null && !from.contains(null) && !to.contains(null);
                for (int t = 0; to != null && from != null && t < to.size(); t++) {
                    String recipient = to.get(t);
                    String pointer = refPointer(node, at, "to", t);
                    if (recipient == null || !declaredPartners.containsKey(recipient)) {
                        continue;
                    }
                    if (from.contains(recipient)) {
                        report(doc, pointer, label + ": partner '" + recipient
                                + "' is in both 'from' and 'to': a partner cannot route to itself");
                        valid = false;
                    } else if (!declaredPartners.get(recipient)) {
                        report(doc, pointer, label + ": recipient '" + recipient + "' has no 'delivery' in "
                                + PARTNERS_FILE + " (add delivery.url to partner '" + recipient + "')");
                        valid = false;
                    }
                }
                String purpose = text(node, "purpose");
                String description = text(node, "description");
                JsonNode basis = node.path("legalBasis");
                String basisType = text(basis, "type");
                String reference = text(basis, "reference");
                if (basisType != null && !LegalBasis.TYPES.contains(basisType)) {
                    report(doc, at + "/legalBasis/type", label + ": unknown legal basis '" + basisType + "' (one of: "
                            + String.join(", ", sorted(LegalBasis.TYPES)) + ")");
                    valid = false;
                }
                if (recordTypes.contains(CONSENT_RECORD_TYPE)) {
                    report(doc, at + "/recordTypes", label + ": consent records are registered by the gateway "
                            + "itself (consent registry), they are not routed: remove '" + CONSENT_RECORD_TYPE + "'");
                    valid = false;
                }
                Route.ConsentRequirement consent = consentRequirement(doc, node, at, label, basisType, purpose);
                valid &= consent != INVALID_CONSENT;
                Map<String, List<String>> release = release(doc, node, at, label, recordTypes, to);
                valid &= release != null;
                boolean notifyWithdrawal = node.path("notifyWithdrawal").asBoolean(false);
                Duration retention = duration(doc, node, at, "retention", null);
                valid &= node.get("retention") == null || retention != null;
                if (valid && from != null && to != null && purpose != null && description != null
                        && basisType != null && reference != null && !recordTypes.isEmpty()) {
                    routes.add(new Route(id, description, recordTypes, new LinkedHashSet<>(from), to, purpose,
                            new LegalBasis(basisType, reference), consent == NO_CONSENT ? null : consent, release,
                            notifyWithdrawal, retention));
                }
            }
            return routes;
        }

        /** The route's consent requirement, {@link #NO_CONSENT}, or {@link #INVALID_CONSENT} (reported). */
        private Route.ConsentRequirement consentRequirement(YamlDocument doc, JsonNode route, String at, String label,
                                                            String basisType, String purpose) {
            JsonNode node = route.get("consent");
            boolean basisIsConsent = "consent".equals(basisType);
            if (node == null || !node.isObject()) {
                return basisIsConsent && purpose != null ? new Route.ConsentRequirement(List.of(purpose)) : NO_CONSENT;
            }
            if (flagged(doc.file(), at + "/consent")) {
                return INVALID_CONSENT;
            }
            boolean required = node.path("required").asBoolean(false);
            if (!required && basisIsConsent) {
                report(doc, at + "/consent/required", label + ": a route whose legal basis is consent always needs "
                        + "the person's consent (consent.required cannot be false)");
                return INVALID_CONSENT;
            }
            if (!required) {
                return NO_CONSENT;
            }
            List<String> purposes = new ArrayList<>();
            node.path("purposes").forEach(p -> purposes.add(p.asString()));
            if (purposes.isEmpty() && purpose != null) {
                purposes.add(purpose);
            }
            return new Route.ConsentRequirement(purposes);
        }

        /**
         * The route's allow-lists per recipient (array indexes removed from pointers), null when invalid (reported).
         * A pointer must be defined by the schema of at least one of the route's record types.
         */
        private Map<String, List<String>> release(YamlDocument doc, JsonNode route, String at, String label,
                                                  Set<String> recordTypes, List<String> to) {
            JsonNode node = route.get("release");
            Map<String, List<String>> release = new LinkedHashMap<>();
            if (node == null || !node.isObject()) {
                return release;
            }
            if (flagged(doc.file(), at + "/release")) {
                return null;
            }
            boolean valid = true;
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String recipient = entry.getKey();
                String recipientAt = YamlDocument.child(at + "/release", recipient);
                if (to != null && !to.contains(recipient)) {
                    report(doc, recipientAt, label + ": release names '" + recipient + "', which is not a recipient "
                            + "of the route (to: " + String.join(", ", to.stream().map(String::valueOf).toList()) + ")");
                    valid = false;
                    continue;
                }
                List<String> pointers = new ArrayList<>();
                for (int i = 0; i < entry.getValue().size(); i++) {
                    String pointer = entry.getValue().get(i).asString();
                    String pointerAt = YamlDocument.child(recipientAt, i);
                    if (flagged(doc.file(), pointerAt)) {
                        valid = false;
                        continue;
                    }
                    boolean defined = recordTypes.stream().anyMatch(t -> pointerCheck.test(t, pointer));
                    if (!defined) {
                        report(doc, pointerAt, label + ": release pointer '" + pointer + "' for '" + recipient
                                + "' is not a field of the schema of " + String.join(" or ", recordTypes));
                        valid = false;
                    } else {
                        pointers.add(normalisePointer(pointer));
                    }
                }
                release.put(recipient, pointers);
            }
            return valid ? release : null;
        }

        /**
         * The partner ids of 'from' or 'to' (one id or a list), null where an item is not an id or names an undeclared
         * partner (reported here); null if the key is unusable altogether.
         */
        private List<String> partnerRefs(YamlDocument doc, JsonNode route, String at, String key, String label) {
            JsonNode node = route.get(key);
            if (node == null || flagged(doc.file(), at + "/" + key)) {
                return null;
            }
            List<String> ids = new ArrayList<>();
            if (node.isString()) {
                ids.add(node.asString());
            } else if (node.isArray()) {
                node.forEach(n -> ids.add(n.isString() ? n.asString() : null));
            } else {
                return null;
            }
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                if (id != null && partnersReadable && !declaredPartners.containsKey(id)) {
                    report(doc, refPointer(route, at, key, i), label + ": '" + key + "' names unknown partner '"
                            + id + "'");
                    ids.set(i, null);
                }
            }
            return ids;
        }

    private String refPointer(JsonNode route, String at, String key, int index) {
            return route.get(key).isArray() ? at + "/" + key + "/" + index : at + "/" + key;
        }

        List<Operator> operators() {
            List<Operator> operators = new ArrayList<>();
            YamlDocument doc = docs.get(ACCESS_FILE);
            JsonNode list = doc == null ? null : doc.root().get("operators");
            if (list == null || !list.isArray()) {
                return operators;
            }
            Map<String, String> firstPointer = new HashMap<>();
            for (int i = 0; i < list.size(); i++) {
                JsonNode node = list.get(i);
                String at = YamlDocument.child("/operators", i);
                String name = node.isObject() ? text(node, "name") : null;
                String role = node.isObject() ? text(node, "role") : null;
                if (name == null) {
                    continue;
                }
                String first = firstPointer.putIfAbsent(name, at);
                if (first != null) {
                    report(doc, at + "/name", "duplicate operator name '" + name + "' (already declared at line "
                            + doc.valueAt(first).line() + ")");
                    continue;
                }
                Set<String> hash = tokens(doc, node.get("tokenSha256"), at + "/tokenSha256",
                        "operator '" + name + "'");
                // an operator whose token hash is empty (the placeholder's default) is disabled
                if (role != null && !flagged(doc.file(), at + "/role") && hash.size() == 1) {
                    operators.add(new Operator(name, Operator.Role.valueOf(role.toUpperCase(Locale.ROOT)),
                            hash.iterator().next()));
                }
            }
            return operators;
        }

        /** A bearer token identifies exactly one partner or operator. */
        void checkTokensAreUnique() {
            Map<String, Use> first = new HashMap<>();
            for (TokenUse use : allTokenUses) {
                Use previous = first.putIfAbsent(use.hash(), use.use());
                if (previous != null && !previous.owner().equals(use.use().owner())) {
                    YamlDocument.Position p = previous.doc().valueAt(previous.pointer());
                    report(use.use().doc(), use.use().pointer(), use.use().owner()
                            + ": this token hash is already used by " + previous.owner() + " ("
                            + previous.doc().file() + ":" + p.line() + "): a token must identify one partner or operator");
                } else if (previous != null) {
                    report(use.use().doc(), use.use().pointer(), use.use().owner() + ": token hash listed twice");
                }
            }
        }
    }

    private record Use(String owner, YamlDocument doc, String pointer) {
    }

    private record TokenUse(String hash, Use use) {
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

    private static final Pattern FILE_NAME_VARIABLE = Pattern.compile("\\{([A-Za-z]+)}");
    private static final Pattern SAFE_FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    /** Why a departement-file name template is unusable, or null. */
    static String fileNameProblem(String template) {
        java.util.regex.Matcher m = FILE_NAME_VARIABLE.matcher(template);
        StringBuilder sample = new StringBuilder();
        boolean unique = false;
        while (m.find()) {
            String variable = m.group(1);
            if (!TransportSettings.DepartementFile.FILE_NAME_VARIABLES.contains(variable)) {
                return "unknown variable {" + variable + "} (known: " + String.join(", ",
                        sorted(TransportSettings.DepartementFile.FILE_NAME_VARIABLES).stream()
                                .map(v -> "{" + v + "}").toList()) + ")";
            }
            unique |= variable.equals("key") || variable.equals("exchangeId");
            m.appendReplacement(sample, "x");
        }
        m.appendTail(sample);
        if (!unique) {
            return "must contain {key} or {exchangeId}, so that each record has its own file and a redelivery"
                    + " finds the file it already wrote";
        }
        if (!SAFE_FILE_NAME.matcher(sample).matches() || sample.indexOf("..") >= 0) {
            return "'" + template + "' is not a plain file name (letters, digits, '.', '_', '-' and variables;"
                    + " no folder)";
        }
        return null;
    }

    private static String text(JsonNode object, String key) {
        JsonNode value = object == null ? null : object.get(key);
        return value != null && value.isString() ? value.asString() : null;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}

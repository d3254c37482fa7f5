package fr.spie.gateway.pull;

import fr.spie.connector.francetravail.FranceTravailApiClient;
import fr.spie.connector.francetravail.FranceTravailApiException;
import fr.spie.connector.francetravail.UsagerSearchResult;
import fr.spie.connector.identity.Nir;
import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.PartnerPull;
import fr.spie.gateway.consent.ConsentLookup;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.intake.IntakeService;
import fr.spie.gateway.privacy.CanonicalJson;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.routing.RoutingDecision;
import fr.spie.gateway.routing.RoutingPolicy;
import fr.spie.gateway.security.GatewayPrincipal;
import fr.spie.gateway.store.ExchangeStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a person's records from a partner's API at a recipient's request (a "pull") and submits each record read as
 * an exchange from that partner, through the normal intake: schema validation, routing, consent, delivery, audit.
 *
 * <p>Only France Travail's partner APIs exist: rechercher-usager (NIR + birth date → jeton usager; none or several
 * job seekers are answered as such, never guessed; nor is one whose identity France Travail does not certify, the
 * NIR being then possibly someone else's), then diagnostic argumenté and lectureOrientation. The caller
 * must be a recipient of a route that carries the record type from that partner (or an admin). The exchange id of
 * a record read is derived from the partner, the record type, the person's pseudonym and the payload digest, so
 * pulling an unchanged record again creates no new exchange. Every pull is audited as {@code PULLED} with the caller
 * as actor, the person as pseudonym and no payload.
 */
@Service
public class PullService {
    private static final Logger log = LoggerFactory.getLogger(PullService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SCHEMA_VERSION = "1.0";

    private final RoutingConfigHolder configHolder;
    private final IntakeService intake;
    private final ExchangeStore store;
    private final AuditTrail audit;
    private final Pseudonymizer pseudonymizer;
    private final FranceTravailClients clients;
    private final ConsentLookup consents;
    private final RoutingPolicy policy = new RoutingPolicy();

    public PullService(RoutingConfigHolder configHolder, IntakeService intake, ExchangeStore store, AuditTrail audit,
                       Pseudonymizer pseudonymizer, FranceTravailClients clients, ConsentLookup consents) {
        this.configHolder = configHolder;
        this.intake = intake;
        this.store = store;
        this.audit = audit;
        this.pseudonymizer = pseudonymizer;
        this.clients = clients;
        this.consents = consents;
    }

    /** A validated pull request: the person and the record types to read. */
    record Request(Nir nir, LocalDate birthDate, Set<String> recordTypes) {
    }

    /**
     * @throws IntakeRejection (problem+json) for a bad request, a caller that may not receive what it asks, a person
     *                         France Travail does not know or cannot tell apart, or France Travail's failure to answer
     */
    public List<PullOutcome> pull(GatewayPrincipal caller, String partnerId, JsonNode body) {
        GatewayConfig config = configHolder.current();
        Partner partner = config.partner(partnerId).filter(p -> p.pull() != null)
                .orElseThrow(() -> new IntakeRejection(404, "pull-not-configured", "No pull for this partner",
                        "partner '" + partnerId + "' has no pull configured (partners.yaml: pull)"));
        PartnerPull settings = partner.pull();
        Request request = read(body, settings);
        requireRecipient(caller, config, partnerId, request.recordTypes());

        ObjectNode subject = JsonNodeFactory.instance.objectNode();
        subject.put("nir", request.nir().value());
        subject.put("birthDate", request.birthDate().toString());
        String pseudonym = pseudonymizer.pseudonymOf(subject).orElseThrow();
        requireDelivered(caller, config, partnerId, settings, request.recordTypes(), pseudonym);
        FranceTravailApiClient client = clients.clientFor(partnerId, settings.api());

        UsagerSearchResult search;
        try {
            search = client.rechercherUsager(request.nir().value(), request.birthDate());
        } catch (FranceTravailApiException e) {
            auditPull(caller, partnerId, null, null, pseudonym, config, settings, "rechercher-usager failed: "
                    + e.getMessage());
            throw upstreamFailure(partnerId, "rechercher-usager", e);
        }
        if (!(search instanceof UsagerSearchResult.Found found)) {
            auditPull(caller, partnerId, null, null, pseudonym, config, settings, "rechercher-usager " + search.code());
            throw notFound(partnerId, search);
        }
        if (found.identityUncertified()) {
            auditPull(caller, partnerId, null, null, pseudonym, config, settings, "rechercher-usager "
                    + search.code() + ": identity not certified, nothing read");
            throw identityUncertified(partnerId, search);
        }
        List<PullOutcome> outcomes = new ArrayList<>();
        for (String recordType : request.recordTypes()) {
            PullOutcome outcome = read(client, found.jetonUsager(), caller, partner, settings, recordType, subject,
                    pseudonym, config);
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private PullOutcome read(FranceTravailApiClient client, String jeton, GatewayPrincipal caller, Partner partner,
                             PartnerPull settings, String recordType, ObjectNode subject, String pseudonym,
                             GatewayConfig config) {
        Optional<ObjectNode> payload;
        try {
            payload = "diagnostic".equals(recordType) ? client.diagnostic(jeton) : client.orientation(jeton);
        } catch (FranceTravailApiException e) {
            String detail = "France Travail " + apiName(recordType) + " failed: " + e.getMessage();
            auditPull(caller, partner.id(), null, recordType, pseudonym, config, settings, detail);
            return new PullOutcome(recordType, PullOutcome.Status.FAILED, null, detail);
        }
        if (payload.isEmpty()) {
            String detail = "France Travail has no " + recordType + " for this person";
            auditPull(caller, partner.id(), null, recordType, pseudonym, config, settings, detail);
            return new PullOutcome(recordType, PullOutcome.Status.NONE, null, detail);
        }
        String payloadDigest = CanonicalJson.digest(payload.get());
        // a partner's pull is delivered to it alone: its own exchange, whatever another recipient pulled
        String forRecipient = caller.role() == GatewayPrincipal.Role.PARTNER ? caller.id() : null;
        UUID exchangeId = UUID.nameUUIDFromBytes(String.join("|", "pull", partner.id(), recordType, pseudonym,
                payloadDigest).concat(forRecipient == null ? "" : "|" + forRecipient)
                .getBytes(StandardCharsets.UTF_8));
        if (store.find(exchangeId).isPresent()) {
            String detail = "unchanged since the pull that created exchange " + exchangeId;
            auditPull(caller, partner.id(), exchangeId, recordType, pseudonym, config, settings, detail);
            return new PullOutcome(recordType, PullOutcome.Status.UNCHANGED, exchangeId, detail);
        }
        ObjectNode envelope = envelope(exchangeId, recordType, partner.id(), settings, subject, payload.get());
        try {
            intake.submit(partner.id(), envelope, JSON.writeValueAsBytes(envelope), forRecipient);
        } catch (IntakeRejection rejection) {
            boolean concurrentPull = rejection.status() == 409;
            String detail = concurrentPull ? "unchanged: pulled at the same time by another request"
                    : "the record read is not accepted: " + rejection.getMessage() + rejection.errors().stream()
                            .map(IntakeRejection.FieldError::pointer).limit(5).toList();
            auditPull(caller, partner.id(), exchangeId, recordType, pseudonym, config, settings, detail);
            return new PullOutcome(recordType, concurrentPull ? PullOutcome.Status.UNCHANGED
                    : PullOutcome.Status.REJECTED, concurrentPull ? exchangeId : null, detail);
        }
        String detail = "read from France Travail " + apiName(recordType) + " at the request of " + caller.id();
        auditPull(caller, partner.id(), exchangeId, recordType, pseudonym, config, settings, detail);
        log.info("pull by {}: {} from {} became exchange {}", caller.id(), recordType, partner.id(), exchangeId);
        return new PullOutcome(recordType, PullOutcome.Status.ACCEPTED, exchangeId, detail);
    }

    private static ObjectNode envelope(UUID exchangeId, String recordType, String source, PartnerPull settings,
                                       ObjectNode subject, ObjectNode payload) {
        ObjectNode envelope = JsonNodeFactory.instance.objectNode();
        envelope.put("exchangeId", exchangeId.toString());
        envelope.put("recordType", recordType);
        envelope.put("schemaVersion", SCHEMA_VERSION);
        envelope.put("source", source);
        envelope.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        envelope.put("purpose", settings.purpose());
        ObjectNode basis = envelope.putObject("legalBasis");
        basis.put("type", settings.legalBasis().type());
        basis.put("reference", settings.legalBasis().reference());
        envelope.set("subject", subject);
        envelope.set("payload", payload);
        return envelope;
    }

    private static Request read(JsonNode body, PartnerPull settings) {
        List<IntakeRejection.FieldError> errors = new ArrayList<>();
        JsonNode subject = body == null ? null : body.get("subject");
        Nir nir = null;
        LocalDate birthDate = null;
        if (subject == null || !subject.isObject()) {
            errors.add(new IntakeRejection.FieldError("/subject", "required: an object with nir and birthDate"));
        } else {
            JsonNode nirNode = subject.get("nir");
            if (nirNode == null || !nirNode.isString()) {
                errors.add(new IntakeRejection.FieldError("/subject/nir", "required: the person's NIR "
                        + "(13 characters, or 15 with its key)"));
            } else {
                try {
                    nir = Nir.parse(nirNode.asString());
                    if (nir.hasKey() && !nir.hasValidKey()) {
                        errors.add(new IntakeRejection.FieldError("/subject/nir", "the NIR's key does not match"));
                        nir = null;
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new IntakeRejection.FieldError("/subject/nir", "not a NIR: " + e.getMessage()));
                }
            }
            JsonNode date = subject.get("birthDate");
            try {
                birthDate = date == null || !date.isString() ? null : LocalDate.parse(date.asString());
            } catch (DateTimeParseException e) {
                birthDate = null;
            }
            if (birthDate == null) {
                errors.add(new IntakeRejection.FieldError("/subject/birthDate", "required: a date YYYY-MM-DD"));
            }
        }
        Set<String> types = new LinkedHashSet<>();
        JsonNode requested = body == null ? null : body.get("recordTypes");
        if (requested == null) {
            types.addAll(settings.recordTypes().stream().sorted().toList());
        } else if (!requested.isArray() || requested.isEmpty()) {
            errors.add(new IntakeRejection.FieldError("/recordTypes", "a non-empty list of record types"));
        } else {
            for (int i = 0; i < requested.size(); i++) {
                String type = requested.get(i).asString("");
                if (!settings.recordTypes().contains(type)) {
                    errors.add(new IntakeRejection.FieldError("/recordTypes/" + i, "'" + type + "' cannot be pulled "
                            + "from this partner (configured: " + settings.recordTypes().stream().sorted().toList()
                            + ")"));
                }
                types.add(type);
            }
        }
        if (!errors.isEmpty()) {
            throw new IntakeRejection(400, "invalid-pull-request", "Invalid pull request",
                    errors.size() + " problem(s) in the pull request", errors, null);
        }
        return new Request(nir, birthDate, types);
    }

    private static void requireRecipient(GatewayPrincipal caller, GatewayConfig config, String partnerId,
                                         Set<String> recordTypes) {
        if (caller.role() == GatewayPrincipal.Role.ADMIN) {
            return;
        }
        for (String type : recordTypes) {
            boolean recipient = caller.role() == GatewayPrincipal.Role.PARTNER && config.routesFor(partnerId, type)
                    .stream().anyMatch(route -> route.to().contains(caller.id()));
            if (!recipient) {
                throw new IntakeRejection(403, "pull-not-allowed", "Not a recipient of this record type",
                        "no route carries " + type + " records from '" + partnerId + "' to '" + caller.id() + "'");
            }
        }
    }

    /**
     * The routing rules in force would deliver each record type read to the calling partner, for this person (the
     * route's purpose and legal basis against the pull's, the person's consent when the route needs one), checked
     * before France Travail is asked anything: otherwise the gateway would read, store and then block records it may
     * not deliver, and the caller would learn from the answer whether France Travail knows the person. The refusal
     * says which record type, not why (a withdrawn consent is the person's business); the audit event says why.
     */
    private void requireDelivered(GatewayPrincipal caller, GatewayConfig config, String partnerId,
                                  PartnerPull settings, Set<String> recordTypes, String pseudonym) {
        if (caller.role() == GatewayPrincipal.Role.ADMIN) {
            return;
        }
        for (String type : recordTypes) {
            RoutingDecision decision = policy.decide(config, new RoutingPolicy.Request(partnerId, type,
                            settings.purpose(), settings.legalBasis().type(), pseudonym), consents, Instant.now())
                    .stream().filter(d -> d.recipient().equals(caller.id())).findFirst().orElse(null);
            if (decision != null && decision.deliver()) {
                continue;
            }
            String why = decision == null ? "no route delivers it" : decision.reason();
            auditPull(caller, partnerId, null, type, pseudonym, config, settings,
                    "refused before reading France Travail: " + type + " would not be delivered to " + caller.id()
                            + ": " + why);
            throw new IntakeRejection(403, "pull-not-allowed", "Not delivered to you for this person",
                    "the routing rules in force would not deliver " + type + " records of this person from '"
                            + partnerId + "' to '" + caller.id() + "' (purpose " + settings.purpose()
                            + ", legal basis " + settings.legalBasis().type() + ", or a consent the route needs): "
                            + "nothing was read");
        }
    }

    private static IntakeRejection notFound(String partnerId, UsagerSearchResult search) {
        if (search instanceof UsagerSearchResult.Ambiguous) {
            return new IntakeRejection(409, "person-ambiguous", "Several persons match", "'" + partnerId
                    + "' has several job seekers with this NIR and birth date (rechercher-usager " + search.code()
                    + "): an agent must tell them apart, the gateway never guesses");
        }
        if (search instanceof UsagerSearchResult.AccessDenied) {
            return new IntakeRejection(403, "partner-access-denied", "The partner refused access to this person",
                    "'" + partnerId + "' refused the gateway access to this person (" + search.code()
                    + "): check the habilitation of the gateway's API account");
        }
        return new IntakeRejection(404, "person-unknown-to-partner", "Person unknown to the partner", "'"
                + partnerId + "' knows no job seeker with this NIR and birth date (rechercher-usager "
                + search.code() + ")");
    }

    /**
     * France Travail found a job seeker by this NIR but does not certify their identity: the NIR may be someone
     * else's, and the records read would be filed under it (the pull's subject is the NIR and birth date alone), so
     * nothing is read: the gateway never links persons on an uncertified NIR (schemas/README.md, nirCertified).
     */
    private static IntakeRejection identityUncertified(String partnerId, UsagerSearchResult search) {
        return new IntakeRejection(409, "person-identity-uncertified", "The partner does not certify this person's "
                + "identity", "'" + partnerId + "' found a job seeker with this NIR and birth date (rechercher-usager "
                + search.code() + ") but does not certify their identity (topIdentiteCertifiee): the NIR may be "
                + "someone else's, so nothing is read; an agent must check the person with the partner");
    }

    private static IntakeRejection upstreamFailure(String partnerId, String api, FranceTravailApiException e) {
        String detail = "'" + partnerId + "' " + api + " failed: " + e.getMessage()
                + e.retryAfter().map(d -> " (retry after " + d.toSeconds() + " s)").orElse("");
        return e.retryable()
                ? new IntakeRejection(503, "partner-unavailable", "The partner's API is unavailable", detail)
                : new IntakeRejection(502, "partner-api-error", "The partner's API failed", detail);
    }

    private static String apiName(String recordType) {
        return "diagnostic".equals(recordType) ? "diagnostic argumenté" : "lectureOrientation";
    }

    private void auditPull(GatewayPrincipal caller, String partnerId, UUID exchangeId, String recordType,
                           String pseudonym, GatewayConfig config, PartnerPull settings, String detail) {
        audit.append(AuditEvent.of(AuditEventType.PULLED, exchangeId, caller.id())
                .withExchange(partnerId, recordType, settings.purpose(), settings.legalBasis().type(), null,
                        pseudonym, config.version())
                .withDetail(detail));
    }
}

package fr.spie.gateway.consent;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.LegalBasis;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.intake.Rfc3339Instants;
import fr.spie.gateway.privacy.IdentifierArgument;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.privacy.SenderIssuer;
import fr.spie.gateway.privacy.SubjectKey;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.store.StoredExchange;
import fr.spie.schema.SpieSchemas;
import fr.spie.schema.Violation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The consent registry: gives, withdraws and finds consents, audits each change, and is the {@link ConsentLookup}
 * of the routing policy (at intake and again at every delivery attempt).
 */
@Service
public class ConsentRegistry implements ConsentLookup {
    public static final String RECORD_TYPE = "consent";
    private static final Logger log = LoggerFactory.getLogger(ConsentRegistry.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConsentStore store;
    private final AuditTrail audit;
    private final Pseudonymizer pseudonymizer;
    private final SpieSchemas schemas;
    private final RoutingConfigHolder config;
    private final TransactionTemplate tx;
    private final WithdrawalNotices notices;

    public ConsentRegistry(ConsentStore store, AuditTrail audit, Pseudonymizer pseudonymizer, SpieSchemas schemas,
                           RoutingConfigHolder config, TransactionTemplate tx, WithdrawalNotices notices) {
        this.store = store;
        this.audit = audit;
        this.pseudonymizer = pseudonymizer;
        this.schemas = schemas;
        this.config = config;
        this.tx = tx;
        this.notices = notices;
    }

    @Override
    public List<Consent> consentsOf(String subjectPseudonym) {
        return subjectPseudonym == null ? List.of() : store.bySubject(subjectPseudonym);
    }

    /**
     * Gives a consent through the API: {@code {"subject": {...}, "consent": {...}}}, the consent as the payload of
     * a consent record (consent.schema.json).
     *
     * @param actor       partner id or operator name (from the credential)
     * @param partnerRole true when the caller is a partner: it must be the one that collected the consent
     */
    public Consent give(JsonNode body, String actor, boolean partnerRole) {
        JsonNode subject = body.path("subject");
        JsonNode receipt = body.path("consent");
        List<IntakeRejection.FieldError> errors = new ArrayList<>();
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("exchangeId", UUID.randomUUID().toString()).put("recordType", RECORD_TYPE)
                .put("schemaVersion", "1.0").put("source", partnerRole ? actor : "gateway")
                .put("occurredAt", Instant.now().toString()).put("purpose", "consent-management");
        envelope.putObject("legalBasis").put("type", "legal-obligation").put("reference", "RGPD art. 7(1)");
        envelope.set("subject", subject.isMissingNode() ? JSON.createObjectNode() : subject);
        envelope.set("payload", receipt.isMissingNode() ? JSON.createObjectNode() : receipt);
        for (Violation v : schemas.validateEnvelope(envelope)) {
            String pointer = v.pointer().startsWith("/payload") ? "/consent" + v.pointer().substring(8) : v.pointer();
            errors.add(new IntakeRejection.FieldError(pointer, v.message()));
        }
        if (!errors.isEmpty()) {
            throw new IntakeRejection(400, "invalid-consent", "The consent is not valid",
                    errors.size() + " problem(s) in the consent", errors, null);
        }
        checkCollector(receipt, actor, partnerRole);
        Consent consent = tx.execute(s -> register(subject, partnerRole ? actor : null, receipt, actor, null));
        return consent;
    }

    /**
     * Registers the consent record of an accepted exchange (called by intake inside its transaction): a new
     * consent, or, with {@code withdrawnAt}, the withdrawal of a known one. Nothing is routed.
     */
    public void registerRecord(StoredExchange exchange, JsonNode envelope) {
        JsonNode receipt = envelope.path("payload");
        checkCollector(receipt, exchange.sourcePartner(), true);
        UUID id = UUID.fromString(receipt.path("consentId").asString());
        Optional<ConsentStore.Stored> known = store.find(id);
        if (known.isPresent() && receipt.has("withdrawnAt")) {
            withdrawInTx(id, exchange.sourcePartner(), "consent record " + exchange.exchangeId(),
                    instant(receipt.path("withdrawnAt")), exchange.exchangeId());
            return;
        }
        register(envelope.path("subject"), exchange.sourcePartner(), receipt, exchange.sourcePartner(),
                exchange.exchangeId());
    }

    private void checkCollector(JsonNode receipt, String actor, boolean partnerRole) {
        String collector = receipt.path("collectedBy").path("partner").asString("");
        if (partnerRole && !collector.equals(actor)) {
            throw new IntakeRejection(403, "collector-mismatch", "Consent collected by another partner",
                    "a partner registers the consents it collected: collectedBy.partner is '" + collector
                            + "', the authenticated partner is '" + actor + "'");
        }
    }

    /**
     * @param subject the subject as given (kept for the withdrawal notices)
     * @param sender  the partner that sent it, whose own departement-ids it may give without issuer; null for an
     *                administrator
     */
    private Consent register(JsonNode subject, String sender, JsonNode receipt, String actor, UUID exchangeId) {
        UUID id = UUID.fromString(receipt.path("consentId").asString());
        if (store.exists(id)) {
            throw new IntakeRejection(409, "consent-id-conflict", "Consent id already used",
                    "consent " + id + " is already registered", List.of(), exchangeId);
        }
        JsonNode keyed = SenderIssuer.subjectToKey(config.current(), sender, subject);
        refuseIdentifiersNamingNoOne(keyed, exchangeId);
        List<String> pseudonyms = SubjectKey.allOf(keyed).stream().map(pseudonymizer::pseudonym).toList();
        if (SubjectKey.of(keyed).filter(k -> k.startsWith(SubjectKey.HOUSEHOLD_PREFIX)).isPresent()) {
            // the applicant, the spouse and the children share it: whose consent it is would be a guess
            throw new IntakeRejection(400, "invalid-consent", "The consent's subject names a household, not a person",
                    "subject: a CAF/MSA matricule names a household; give the person's nir, another identifier, or "
                            + "the first given name and birth date with it",
                    List.of(new IntakeRejection.FieldError("/subject/identifiers",
                            "a CAF/MSA matricule alone names a household")), exchangeId);
        }
        String primary = pseudonymizer.pseudonymOf(keyed).orElseThrow(() -> new IntakeRejection(400,
                "invalid-consent", "The consent's subject identifies no person", "subject: give a nir, a partner "
                + "identifier, or the identity pivot: birth name, first given name (letters: a name of hyphens or "
                + "spaces only is none) and birth date; a birth name and a birth date alone name everyone born that "
                + "day under that name"));
        Instant now = Instant.now();
        List<Consent.DataCategory> categories = new ArrayList<>();
        receipt.path("dataCategories").forEach(d -> {
            List<String> fields = new ArrayList<>();
            d.path("fields").forEach(f -> fields.add(f.asString()));
            categories.add(new Consent.DataCategory(d.path("recordType").asString(), fields));
        });
        List<Consent.Event> events = new ArrayList<>();
        events.add(new Consent.Event("GIVEN", now, actor, exchangeId == null ? "API" : "consent record " + exchangeId));
        Instant withdrawnAt = receipt.has("withdrawnAt") ? instant(receipt.path("withdrawnAt")) : null;
        if (withdrawnAt != null) {
            events.add(new Consent.Event("WITHDRAWN", now, actor, "withdrawn in the record itself"));
        }
        Consent consent = new Consent(id, primary, strings(receipt.path("controllers")),
                strings(receipt.path("recipients")), strings(receipt.path("purposes")), categories,
                new LegalBasis(receipt.path("legalBasis").path("type").asString(),
                        receipt.path("legalBasis").path("reference").asString()),
                new Consent.CollectedBy(receipt.path("collectedBy").path("partner").asString(),
                        receipt.path("collectedBy").path("professional").asString(null)),
                receipt.path("collectionMethod").asString(), receipt.path("evidenceReference").asString(),
                receipt.path("noticeVersion").asString(), instant(receipt.path("givenAt")),
                receipt.has("validUntil") ? instant(receipt.path("validUntil")) : null, withdrawnAt,
                withdrawnAt == null ? null : actor, events);
        try {
            store.insert(consent, pseudonyms, JSON.writeValueAsString(subject), actor, now);
        } catch (DuplicateKeyException registeredMeanwhile) {
            // the same consent id registered at the same moment by another request (a client's retry): its key decides
            throw new IntakeRejection(409, "consent-id-conflict", "Consent id already used",
                    "consent " + id + " is already registered", List.of(), exchangeId);
        }
        audit.append(event(AuditEventType.CONSENT_GIVEN, consent, actor, exchangeId).withDetail("consent " + id
                + " given: recipients " + consent.recipients() + ", purposes " + consent.purposes() + ", data "
                + consent.dataCategories().stream().map(d -> d.recordType() + (d.fields().isEmpty() ? ""
                : d.fields().toString())).toList() + ", basis " + consent.legalBasis().type() + ", valid until "
                + (consent.validUntil() == null ? "withdrawal" : consent.validUntil()) + ", collected by "
                + consent.collectedBy().partner() + " (" + consent.collectionMethod() + ", notice "
                + consent.noticeVersion() + ")" + (withdrawnAt == null ? "" : ", withdrawn at " + withdrawnAt)));
        log.info("consent {} registered by {} ({} key(s) of the person)", id, actor, pseudonyms.size());
        return consent;
    }

    /**
     * A consent is filed under every key of its subject: a departement-id without issuer (given by someone who does
     * not issue it) is no key, and the consent would silently not be found by the département's exchanges.
     */
    private static void refuseIdentifiersNamingNoOne(JsonNode subject, UUID exchangeId) {
        JsonNode identifiers = subject.path("identifiers");
        for (int i = 0; i < identifiers.size(); i++) {
            if (SubjectKey.namesNoOne(identifiers.get(i))) {
                throw new IntakeRejection(400, "invalid-consent", "A departement-id without its issuer",
                        "subject: a departement-id names a person within its département only; give its issuer "
                                + "(the département's partner id, e.g. cd-51)",
                        List.of(new IntakeRejection.FieldError("/subject/identifiers/" + i + "/issuer",
                                "is required for a departement-id given by another than its département")),
                        exchangeId);
            }
        }
    }

    /**
     * Withdraws a consent at once: deliveries that rest on it are blocked from now on (they are re-checked at
     * every attempt), and routes with notifyWithdrawal send their recipients a withdrawal notice.
     */
    public Consent withdraw(UUID id, String actor, String reason) {
        Consent withdrawn = tx.execute(s -> withdrawInTx(id, actor, reason, null, null));
        notices.wakeUp();
        return withdrawn;
    }

    /**
     * @param withdrawnAt when the withdrawal takes effect; null: now, read once the consent's row is locked, so that
     *                    of two withdrawals at the same moment (the person asking two partners, a client's retry) the
     *                    second waits for the first, finds the consent withdrawn by then and records nothing
     */
    private Consent withdrawInTx(UUID id, String actor, String reason, Instant withdrawnAt, UUID exchangeId) {
        ConsentStore.Stored stored = store.findLocked(id).orElseThrow(() -> new IntakeRejection(404,
                "consent-not-found", "Consent not found", "no consent " + id));
        Instant at = withdrawnAt != null ? withdrawnAt : Instant.now();
        Instant recorded = stored.consent().withdrawnAt();
        if (recorded != null && !recorded.isAfter(at)) {
            return stored.consent(); // already withdrawn by then
        }
        // not withdrawn, or only from a later date (a record may state one): this withdrawal takes effect at its time
        Consent withdrawn = stored.consent().withdrawn(at, actor, reason == null ? "withdrawn" : reason);
        if (!store.withdraw(withdrawn)) {
            return store.find(id).orElseThrow().consent(); // withdrawn by then after all
        }
        String notNotified = notices.enqueue(withdrawn, stored.subjectJson(), config.current());
        audit.append(event(AuditEventType.CONSENT_WITHDRAWN, withdrawn, actor, exchangeId)
                .withDetail("consent " + id + " withdrawn at " + at + " by " + actor + notNotified));
        log.info("consent {} withdrawn by {}", id, actor);
        return withdrawn;
    }

    public Optional<Consent> find(UUID id) {
        return store.find(id).map(ConsentStore.Stored::consent);
    }

    /**
     * The consents of a person named by {@code nir:<NIR>} or {@code <identifier scheme>:<value>} (e.g.
     * {@code caf-matricule:2055990}).
     */
    public List<Consent> byPerson(String person, String callerPartner) {
        ObjectNode subject = JSON.createObjectNode();
        boolean named;
        if (person != null && person.startsWith("nir:") && person.length() > "nir:".length()) {
            subject.put("nir", person.substring("nir:".length()));
            named = true;
        } else {
            named = IdentifierArgument.addTo(subject, person);
        }
        if (!named) {
            throw new IntakeRejection(400, "invalid-person", "Invalid person",
                    "person must be nir:<NIR> or <identifier scheme>[@<issuer>]:<value> (e.g. "
                            + "caf-matricule@CAF 511:2055990)");
        }
        // a département asking by its own departement-id without issuer: the key its consents were filed under
        List<String> keys = SubjectKey.allOf(SenderIssuer.subjectToKey(config.current(), callerPartner, subject));
        if (keys.isEmpty()) {
            throw new IntakeRejection(400, "invalid-person", "Invalid person",
                    "a departement-id names a person within its département only: give its issuer, e.g. "
                            + "departement-id@cd-51:<value>");
        }
        // the key consents are filed under (for a CAF/MSA matricule, the household's: its members' consents)
        return consentsOf(pseudonymizer.pseudonym(keys.get(0)));
    }

    private AuditEvent event(AuditEventType type, Consent c, String actor, UUID exchangeId) {
        return AuditEvent.of(type, exchangeId, actor)
                .withExchange(null, RECORD_TYPE, c.purposes().get(0), c.legalBasis().type(), null, c.subject(),
                        config.current().version());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    /** A date-time of the receipt, valid for the schema (a leap second among them). */
    private static Instant instant(JsonNode dateTime) {
        return Rfc3339Instants.parse(dateTime.asString());
    }
}

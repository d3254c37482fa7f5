package fr.spie.gateway.consent;

import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.PartnerKind;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.security.GatewayPrincipal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The consent registry's API. Give: a partner acting for the person (it must be the collector) or an admin. Withdraw:
 * any partner or an admin (withdrawing must be as easy as giving, GDPR art. 7(3)); the answer is the whole receipt
 * only for whoever may read it. Read: admins see every consent of the person, a partner those it collected or that
 * name it as controller or recipient (by its id or its kind).
 */
@RestController
@RequestMapping("/api/v1/consents")
public class ConsentController {
    private final ConsentRegistry registry;
    private final RoutingConfigHolder config;

    public ConsentController(ConsentRegistry registry, RoutingConfigHolder config) {
        this.registry = registry;
        this.config = config;
    }

    @PostMapping
    public ResponseEntity<Consent> give(@RequestBody JsonNode body, @AuthenticationPrincipal GatewayPrincipal caller) {
        Consent consent = registry.give(body, caller.id(), caller.role() == GatewayPrincipal.Role.PARTNER);
        return ResponseEntity.created(URI.create("/api/v1/consents/" + consent.id())).body(consent);
    }

    /**
     * Withdraws the consent. Whoever may read it gets the whole receipt; any other partner only
     * {@link ConsentWithdrawal} (withdrawing is open to all, reading is not).
     */
    @PostMapping("/{id}/withdraw")
    public Object withdraw(@PathVariable String id, @RequestBody(required = false) JsonNode body,
                           @AuthenticationPrincipal GatewayPrincipal caller) {
        UUID consentId = uuid(id);
        Consent withdrawn = registry.withdraw(consentId, caller.id(), withdrawalReason(body));
        return visible(withdrawn, caller) ? withdrawn : ConsentWithdrawal.of(withdrawn, caller.id());
    }

    /**
     * The reason a withdrawal body gives: none (no body), or a JSON object whose only member is {@code reason}, a
     * string. Anything else is a 400 before anything is withdrawn: a withdrawal cannot be undone, and a body of
     * another shape ({@code []}, {@code 42}, {@code null}, a misspelt member) withdrew the consent with no reason.
     */
    static String withdrawalReason(JsonNode body) {
        if (body == null || body.isMissingNode()) {
            return null;
        }
        String expected = "the body must be empty or {\"reason\": \"<text>\"}";
        if (!body.isObject()) {
            throw invalidWithdrawal(expected + ", not " + body.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        for (String member : body.propertyNames()) {
            if (!"reason".equals(member)) {
                throw invalidWithdrawal(expected + ": '" + abbreviate(member) + "' is not a member of it");
            }
        }
        JsonNode reason = body.get("reason");
        if (reason == null || reason.isNull()) {
            return null;
        }
        if (!reason.isString()) {
            throw invalidWithdrawal("reason must be a string");
        }
        return reason.asString();
    }

    private static IntakeRejection invalidWithdrawal(String detail) {
        return new IntakeRejection(400, "invalid-withdrawal", "Invalid withdrawal", detail);
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    @GetMapping
    public Map<String, List<Consent>> byPerson(@RequestParam("person") String person,
                                               @AuthenticationPrincipal GatewayPrincipal caller) {
        List<Consent> consents = registry.byPerson(person,
                caller.role() == GatewayPrincipal.Role.PARTNER ? caller.id() : null).stream().filter(c -> visible(c, caller)).toList();
        return Map.of("consents", consents);
    }

    /**
     * The same as {@code GET ?person=}, the person in the body ({@code {"person": "nir:<NIR>"}}): a NIR in a URL ends
     * up in the access logs of every proxy on the way, a body does not.
     */
    @PostMapping("/search")
    public Map<String, List<Consent>> search(@RequestBody(required = false) JsonNode body,
                                             @AuthenticationPrincipal GatewayPrincipal caller) {
        JsonNode person = body == null ? null : body.get("person");
        if (person == null || !person.isString()) {
            throw new IntakeRejection(400, "invalid-person", "Invalid person",
                    "the body must be {\"person\": \"nir:<NIR>\"} or {\"person\": \"<identifier scheme>[@<issuer>]:<value>\"}",
                    List.of(new IntakeRejection.FieldError("/person", "a string is required")), null);
        }
        return byPerson(person.asString(), caller);
    }

    /** A recipient named by its kind (e.g. every mission-locale) reads the consent as one named by its id does. */
    private boolean visible(Consent c, GatewayPrincipal caller) {
        if (caller.role() == GatewayPrincipal.Role.ADMIN) {
            return true;
        }
        PartnerKind kind = config.current().partner(caller.id()).map(Partner::kind).orElse(null);
        return caller.id().equals(c.collectedBy().partner()) || c.controllers().contains(caller.id())
                || c.namesRecipient(caller.id(), kind);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new IntakeRejection(404, "consent-not-found", "Consent not found", "no consent " + id);
        }
    }
}

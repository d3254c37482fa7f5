package fr.spie.gateway.report;

import fr.spie.gateway.audit.AuditEvent;
import fr.spie.gateway.audit.AuditEventType;
import fr.spie.gateway.audit.AuditQueries;
import fr.spie.gateway.audit.AuditTrail;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.privacy.Pseudonymizer;
import fr.spie.gateway.privacy.SenderIssuer;
import fr.spie.gateway.privacy.SubjectKey;
import fr.spie.gateway.routing.RoutingConfigHolder;
import fr.spie.gateway.security.GatewayPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * A person's access report (the "Data Tracker"): {@code POST /api/v1/audit/persons/report} with the person's identity
 * as an envelope subject ({@code nir}, {@code identifiers}, identity pivot). Every key given is searched (a NIR and
 * a CAF number find the exchanges sent under either). The identity is used in memory only. Each report produced is
 * audited ({@link AuditEventType#PERSON_REPORT_PRODUCED}: who asked, about which pseudonym), so that the consultations
 * of a person's history are themselves on the record.
 */
@RestController
public class PersonReportController {
    private static final int MAX_EVENTS = 10_000;

    private final AuditQueries queries;
    private final Pseudonymizer pseudonymizer;
    private final RoutingConfigHolder config;
    private final PersonReportWriter writer;
    private final AuditTrail audit;

    @Autowired
    public PersonReportController(AuditQueries queries, Pseudonymizer pseudonymizer, RoutingConfigHolder config,
                                  AuditTrail audit, Environment settings) {
        this(queries, pseudonymizer, config, audit, PersonReportSettings.policy(settings));
    }

    PersonReportController(AuditQueries queries, Pseudonymizer pseudonymizer, RoutingConfigHolder config,
                           AuditTrail audit, PersonReportPolicy policy) {
        this.queries = queries;
        this.pseudonymizer = pseudonymizer;
        this.config = config;
        this.audit = audit;
        this.writer = new PersonReportWriter(policy);
    }

    @PostMapping("/api/v1/audit/persons/report")
    public PersonAccessReport report(@RequestBody JsonNode given,
                                     @AuthenticationPrincipal GatewayPrincipal caller) {
        // a département acting for the person may name them by its own departement-id, without issuer
        JsonNode subject = SenderIssuer.subjectToKey(config.current(),
                caller.role() == GatewayPrincipal.Role.PARTNER ? caller.id() : null, given);
        refuseUnlessAllowed(caller, subject);
        List<IntakeRejection.FieldError> unusable = UnusablePersonKeys.of(subject);
        if (!unusable.isEmpty()) {
            // a key no exchange can carry finds nothing: "nobody received your data" would be an answer to a typo
            throw new IntakeRejection(400, "invalid-person", "Unusable person key",
                    "a key given cannot name a person: " + unusable.get(0).pointer() + " "
                            + unusable.get(0).detail(), unusable, null);
        }
        List<String> keys = SubjectKey.searchKeysOf(subject);
        if (keys.isEmpty()) {
            throw new IntakeRejection(400, "invalid-person", "No person key",
                    "give the person's nir, a partner identifier {scheme, value} in identifiers, or birthName + "
                            + "givenNames + birthDate (+ sex)",
                    List.of(new IntakeRejection.FieldError("", "no usable person key")), null);
        }
        Set<String> pseudonyms = new LinkedHashSet<>();
        List<String> searchedBy = new ArrayList<>();
        for (String key : keys) {
            pseudonyms.add(pseudonymizer.pseudonym(key));
            searchedBy.add(PersonKeyKinds.of(key));
        }
        List<String> kinds = searchedBy.stream().distinct().toList();
        // one more than the limit tells whether the person's deliveries go on beyond what the report lists
        List<AuditEvent> events = queries.aboutPerson(pseudonyms, AuditEventType.DELIVERED, MAX_EVENTS + 1);
        boolean complete = events.size() <= MAX_EVENTS;
        PersonAccessReport report = writer.write(complete ? events : events.subList(0, MAX_EVENTS), complete,
                kinds, config.current(), Instant.now());
        audit.append(AuditEvent.of(AuditEventType.PERSON_REPORT_PRODUCED, null, caller.id())
                .withExchange(null, null, null, null, null, pseudonyms.iterator().next(), config.current().version())
                .withDetail("searched by " + String.join(", ", kinds) + "; " + report.entries().size()
                        + " deliveries reported" + (report.withheld() == 0 ? "" : ", " + report.withheld()
                        + " withheld") + (complete ? "" : " (more than the report's limit)")));
        return report;
    }

    /**
     * The auditor may ask for any person's report; a partner only if its configuration says it acts for persons
     * ({@code partners[].personReports}): the report tells which organisations received a person's data (that
     * someone is followed for RSA, disability or youth support), which a partner that does not serve the person has
     * no need to learn. A refusal is on the record, with the pseudonym of the person asked about when one is given.
     */
    private void refuseUnlessAllowed(GatewayPrincipal caller, JsonNode subject) {
        if (caller.role() != GatewayPrincipal.Role.PARTNER
                || config.current().partner(caller.id()).map(Partner::personReports).orElse(false)) {
            return;
        }
        List<String> keys = UnusablePersonKeys.of(subject).isEmpty() ? SubjectKey.searchKeysOf(subject) : List.of();
        audit.append(AuditEvent.of(AuditEventType.REJECTED, null, caller.id())
                .withExchange(null, null, null, null, null,
                        keys.isEmpty() ? null : pseudonymizer.pseudonym(keys.get(0)), config.current().version())
                .withDetail("403 person-reports-not-allowed: person's access report asked by a partner whose "
                        + "configuration does not let it ask (partners[].personReports)"));
        throw new IntakeRejection(403, "person-reports-not-allowed", "Person reports not allowed",
                "partner '" + caller.id() + "' may not ask for persons' access reports: the gateway's "
                        + "configuration must allow it (partners[].personReports), or the person may ask the "
                        + "gateway's auditor or data protection officer");
    }
}

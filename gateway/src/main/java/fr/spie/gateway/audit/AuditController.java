package fr.spie.gateway.audit;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.privacy.Pseudonymizer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The auditors' view of the audit trail (role AUDITOR). */
@RestController
@RequestMapping("/api/v1/audit")
public class AuditController {
    private static final int MAX_PAGE = 1000;

    private final AuditQueries queries;
    private final LedgerQueries ledgerQueries;
    private final Pseudonymizer pseudonymizer;

    public AuditController(AuditQueries queries, LedgerQueries ledgerQueries, Pseudonymizer pseudonymizer) {
        this.queries = queries;
        this.ledgerQueries = ledgerQueries;
        this.pseudonymizer = pseudonymizer;
    }

    /**
     * Events in trail order, filtered; page with {@code after} = the last {@code sequence} seen. A person is named by
     * {@code nir}, or {@code identifierScheme} + {@code identifierValue}, or {@code birthName} + {@code birthDate}
     * (+ {@code givenName}, {@code sex}): the gateway turns it into the keyed pseudonyms exactly as intake does (names
     * with and without sex, as the person's report searches them). Each
     * event carries its {@code ledgerIndex} once the ledger writer has assigned it.
     */
    @GetMapping("/events")
    public Map<String, Object> events(AuditQueryParams query,
                                      @RequestParam(defaultValue = "0") long after,
                                      @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw badParameter("limit", "must be between 1 and " + MAX_PAGE);
        }
        var filter = query.filter(query.person().pseudonyms(pseudonymizer));
        List<AuditEvent> events = queries.find(filter, after, limit);
        Map<Long, Long> indexes = ledgerQueries.ledgerIndexes(events.stream().map(AuditEvent::sequence).toList());
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("events", events.stream().map(e -> new LedgeredEvent(e, indexes.get(e.sequence()))).toList());
        page.put("next", events.size() == limit ? events.get(events.size() - 1).sequence() : null);
        return page;
    }

    /** An event as auditors see it: its fields, plus its ledger index (null until the writer assigns it). */
    public record LedgeredEvent(@JsonUnwrapped AuditEvent event, Long ledgerIndex) {
    }

    static AuditQueries.AuditFilter filter(String exchangeId, String partner, List<String> subjectPseudonyms,
                                           String eventType, String purpose, String from, String to) {
        return new AuditQueries.AuditFilter(
                parse("exchangeId", exchangeId, UUID::fromString), blankToNull(partner), subjectPseudonyms,
                parse("eventType", eventType, AuditEventType::valueOf), blankToNull(purpose),
                parse("from", from, Instant::parse), parse("to", to, Instant::parse));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static <T> T parse(String name, String value, Function<String, T> parser) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return parser.apply(value.trim());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw badParameter(name, "'" + value + "' is not valid");
        }
    }

    static IntakeRejection badParameter(String name, String what) {
        return new IntakeRejection(400, "invalid-parameter", "Invalid query parameter", name + ": " + what,
                List.of(new IntakeRejection.FieldError(name, what)), null);
    }
}

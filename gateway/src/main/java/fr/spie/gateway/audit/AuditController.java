package fr.spie.gateway.audit;

import fr.spie.gateway.intake.IntakeRejection;
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

    public AuditController(AuditQueries queries) {
        this.queries = queries;
    }

    /** Events in trail order, filtered; page with {@code after} = the last {@code sequence} seen. */
    @GetMapping("/events")
    public Map<String, Object> events(@RequestParam(required = false) String exchangeId,
                                      @RequestParam(required = false) String partner,
                                      @RequestParam(required = false) String eventType,
                                      @RequestParam(required = false) String purpose,
                                      @RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to,
                                      @RequestParam(defaultValue = "0") long after,
                                      @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw badParameter("limit", "must be between 1 and " + MAX_PAGE);
        }
        var filter = new AuditQueries.AuditFilter(
                parse("exchangeId", exchangeId, UUID::fromString), partner, null,
                parse("eventType", eventType, AuditEventType::valueOf), purpose,
                parse("from", from, Instant::parse), parse("to", to, Instant::parse));
        List<AuditEvent> events = queries.find(filter, after, limit);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("events", events);
        page.put("next", events.size() == limit ? events.get(events.size() - 1).sequence() : null);
        return page;
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

    private static IntakeRejection badParameter(String name, String what) {
        return new IntakeRejection(400, "invalid-parameter", "Invalid query parameter", name + ": " + what,
                List.of(new IntakeRejection.FieldError(name, what)), null);
    }
}

package fr.spie.gateway.deadletter;

import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.security.GatewayPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Dead letters for admins (ADMIN only): list them (metadata only, never the envelope), replay or discard some by
 * exchange id or all of a recipient's by filter. Replay and discard answer 200 with one result per dead letter.
 */
@RestController
@RequestMapping("/api/v1/admin/dead-letters")
public class DeadLetterController {
    static final int MAX_PAGE = 500;
    private final DeadLetters deadLetters;

    public DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** A page of dead letters, oldest first: {@code total} is how many match. */
    @GetMapping
    public DeadLetters.Page list(@RequestParam(required = false) String recipient,
                                 @RequestParam(required = false) String recordType,
                                 @RequestParam(defaultValue = "0") int offset,
                                 @RequestParam(defaultValue = "50") int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw new IntakeRejection(400, "bad-page", "Bad page",
                    "offset must be >= 0 and limit between 1 and " + MAX_PAGE);
        }
        return deadLetters.list(blankToNull(recipient), blankToNull(recordType), offset, limit);
    }

    /**
     * Replays dead letters: body {@code {"recipient": "...", "exchangeIds": [...]}} or
     * {@code {"recipient": "...", "all": true, "recordType": "..." (optional)}}.
     */
    @PostMapping("/replay")
    public Map<String, Object> replay(@RequestBody JsonNode body, @AuthenticationPrincipal GatewayPrincipal caller) {
        List<DeadLetters.Key> keys = selection(body, true);
        return summary(deadLetters.replay(keys, caller.id()));
    }

    /** Discards dead letters: the same selection as replay, and a mandatory {@code reason}. */
    @PostMapping("/discard")
    public Map<String, Object> discard(@RequestBody JsonNode body, @AuthenticationPrincipal GatewayPrincipal caller) {
        String reason = body.path("reason").isString() ? body.path("reason").asString().strip() : "";
        if (reason.isEmpty()) {
            throw new IntakeRejection(400, "reason-required", "A reason is required",
                    "discarding a dead letter needs a non-empty 'reason' (it goes to the audit trail: no personal "
                            + "data)");
        }
        if (reason.length() > 300) {
            throw new IntakeRejection(400, "reason-too-long", "Reason too long",
                    "'reason' has " + reason.length() + " characters; at most 300");
        }
        List<DeadLetters.Key> keys = selection(body, false);
        return summary(deadLetters.discard(keys, reason, caller.id()));
    }

    /**
     * The dead letters a request names: by exchange ids, or every one of the recipient's (with "all": true; for a
     * replay, every one that can be replayed: those whose envelope copy was deleted can only be discarded).
     */
    private List<DeadLetters.Key> selection(JsonNode body, boolean forReplay) {
        if (body == null || !body.isObject()) {
            throw new IntakeRejection(400, "bad-selection", "Bad selection", "the body must be a JSON object");
        }
        String recipient = body.path("recipient").isString() ? body.path("recipient").asString().strip() : "";
        if (recipient.isEmpty()) {
            throw new IntakeRejection(400, "recipient-required", "A recipient is required",
                    "'recipient' (the partner id whose dead letters these are) is required");
        }
        JsonNode ids = body.path("exchangeIds");
        boolean all = body.path("all").asBoolean(false);
        if (ids.isMissingNode() == !all) {
            throw new IntakeRejection(400, "bad-selection", "Bad selection",
                    "give either 'exchangeIds' (a non-empty array) or \"all\": true (optionally with 'recordType')");
        }
        if (all) {
            String recordType = body.path("recordType").isString() ? blankToNull(body.path("recordType").asString())
                    : null;
            return deadLetters.matching(recipient, recordType, forReplay);
        }
        if (!ids.isArray() || ids.isEmpty() || ids.size() > DeadLetters.MAX_PER_CALL) {
            throw new IntakeRejection(400, "bad-selection", "Bad selection",
                    "'exchangeIds' must be an array of 1 to " + DeadLetters.MAX_PER_CALL + " exchange ids");
        }
        List<DeadLetters.Key> keys = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            try {
                keys.add(new DeadLetters.Key(UUID.fromString(ids.get(i).asString()), recipient));
            } catch (IllegalArgumentException e) {
                throw new IntakeRejection(400, "bad-selection", "Bad selection",
                        "exchangeIds[" + i + "] is not a UUID");
            }
        }
        return keys.stream().distinct().toList();
    }

    private static Map<String, Object> summary(List<DeadLetters.Result> results) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (DeadLetters.Result r : results) {
            counts.merge(r.outcome().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("requested", results.size());
        view.put("counts", counts);
        view.put("results", results);
        return view;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

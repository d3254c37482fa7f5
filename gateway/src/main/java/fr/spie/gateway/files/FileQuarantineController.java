package fr.spie.gateway.files;

import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.security.GatewayPrincipal;
import fr.spie.gateway.web.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * An administrator quarantines an unfinished file that no instance is reading (ADMIN only, under
 * {@code /api/v1/admin/**}): typically one whose bytes are in a file store no running instance uses, which would
 * otherwise wait for ever and keep its digest (the same bytes sent again would be a DUPLICATE of it). Body
 * {@code {"reason": "..."}}; the reason is audited (FILE_QUARANTINED, the administrator as actor), never logged.
 */
@RestController
public class FileQuarantineController {
    /** Most characters of an administrator's reason. */
    static final int MAX_REASON = 500;
    private static final Logger log = LoggerFactory.getLogger(FileQuarantineController.class);

    private final ReceivedFileStore store;
    private final ProblemWriter problems;

    public FileQuarantineController(ReceivedFileStore store, ProblemWriter problems) {
        this.store = store;
        this.problems = problems;
    }

    /**
     * 200 with the file's report once quarantined; 404 unknown file, 409 a finished file ({@code file-finished}) or
     * one an instance is reading ({@code file-being-read}, with {@code leaseHolder} and {@code leaseUntil}), 400 a
     * missing, blank or too long reason.
     */
    @PostMapping(value = "/api/v1/admin/files/{fileId}/quarantine", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> quarantine(@PathVariable String fileId, @RequestBody(required = false) JsonNode body,
                                        @AuthenticationPrincipal GatewayPrincipal caller, HttpServletRequest request) {
        UUID id = fileId(fileId);
        String reason = reason(body);
        ReceivedFile file = store.find(id).orElseThrow(() -> new IntakeRejection(404, "file-not-found",
                "File not found", "no file " + id));
        refuseIfFinished(file);
        if (!store.quarantineUnread(id, caller.id(), reason, Instant.now())) {
            ReceivedFile now = store.find(id).orElseThrow();
            refuseIfFinished(now);
            ProblemDetail problem = problems.toProblem(new IntakeRejection(409, "file-being-read",
                    "File being read", "file " + id + " is being read by instance " + now.leaseHolder()
                    + ", whose lease on it runs until " + now.leaseUntil() + ": wait for it to finish the file, or "
                    + "stop that instance (its lease then expires and the file can be quarantined)"),
                    request.getRequestURI());
            problem.setProperty("leaseHolder", now.leaseHolder());
            problem.setProperty("leaseUntil", now.leaseUntil() == null ? null : now.leaseUntil().toString());
            return ResponseEntity.status(409).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        ReceivedFile quarantined = store.find(id).orElseThrow();
        log.info("file {} from {} quarantined by administrator {} (it was {}, bytes in file store {}); its digest is "
                        + "released, the reason is in the audit trail", id, file.partner(), caller.id(), file.status(),
                file.storeId());
        Map<String, Object> view = FileController.view(quarantined, store.rejections(id,
                FileController.REJECTIONS_SHOWN));
        return ResponseEntity.ok(view);
    }

    private static void refuseIfFinished(ReceivedFile file) {
        if (file.status().finished()) {
            throw new IntakeRejection(409, "file-finished", "File already finished", "file " + file.fileId()
                    + " is " + file.status() + " already: only a RECEIVED or PROCESSING file can be quarantined");
        }
    }

    private static UUID fileId(String fileId) {
        try {
            return UUID.fromString(fileId);
        } catch (IllegalArgumentException e) {
            throw new IntakeRejection(400, "invalid-file-id", "Invalid file id", "'" + fileId + "' is not a UUID");
        }
    }

    /** The administrator's reason: required, at most {@link #MAX_REASON} characters. */
    private static String reason(JsonNode body) {
        String reason = body != null && body.path("reason").isString() ? body.path("reason").asString().strip() : "";
        if (reason.isEmpty()) {
            throw new IntakeRejection(400, "reason-required", "A reason is required", "quarantining a file needs a "
                    + "non-empty 'reason' in a JSON body (it goes to the audit trail: no names or other personal data)");
        }
        if (reason.length() > MAX_REASON) {
            throw new IntakeRejection(400, "reason-too-long", "Reason too long", "'reason' has " + reason.length()
                    + " characters; at most " + MAX_REASON);
        }
        return reason;
    }
}

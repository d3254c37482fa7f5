package fr.spie.gateway.files;

import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.security.GatewayPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/files}: which files arrived, newest first, a page at a time (docs/files.md). Administrators and
 * auditors see every partner's files, a partner its own only: a {@code partner} filter naming another partner is 403
 * {@code partner-mismatch}, as for an upload to another partner's endpoint; auditors are not shown files' names. Each item is the summary of the file's
 * report (never its rejections, which {@code GET /api/v1/files/{fileId}} shows); the file store and the lease of an
 * unfinished file are shown to administrators and auditors, never to partners (instance names).
 */
@RestController
public class FileListController {
    private final ReceivedFileStore store;

    public FileListController(ReceivedFileStore store) {
        this.store = store;
    }

    @GetMapping(value = "/api/v1/files", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> list(HttpServletRequest request, @AuthenticationPrincipal GatewayPrincipal caller) {
        FileListQuery query = FileListQuery.of(request.getParameterMap());
        boolean partner = caller.role() == GatewayPrincipal.Role.PARTNER;
        if (partner) {
            if (query.partner() != null && !caller.isPartner(query.partner())) {
                throw new IntakeRejection(403, "partner-mismatch", "Partner does not match the credential",
                        "your credential is not the one of partner '" + query.partner() + "'");
            }
            query = query.forPartner(caller.id());
        }
        List<ReceivedFile> files = store.list(query.partner(), query.statuses(), query.since(), query.until(),
                query.after(), query.limit() + 1);
        boolean more = files.size() > query.limit();
        List<ReceivedFile> page = more ? files.subList(0, query.limit()) : files;
        Instant now = Instant.now();
        Map<String, Object> body = new LinkedHashMap<>();
        boolean auditor = caller.role() == GatewayPrincipal.Role.AUDITOR;
        body.put("items", page.stream().map(f -> item(f, !partner, !auditor, now)).toList());
        body.put("next", more ? query.next(FileListCursor.after(page.get(page.size() - 1))) : null);
        return body;
    }

    /**
     * The summary of a file's report; for an unfinished file, its store and lease when the caller may see them. The
     * file's name, which may name someone (a partner may call a file after a person), is for the sending partner and
     * administrators, who read its report too; an auditor, who reads no personal data, gets {@code name: null}.
     */
    static Map<String, Object> item(ReceivedFile f, boolean whereabouts, boolean name, Instant now) {
        Map<String, Object> item = FileController.summary(f);
        if (!name) {
            item.put("name", null);
        }
        if (whereabouts && !f.status().finished()) {
            boolean leased = f.leaseHolder() != null && f.leaseUntil() != null && f.leaseUntil().isAfter(now);
            Map<String, Object> lease = new LinkedHashMap<>();
            lease.put("holder", leased ? f.leaseHolder() : null);
            lease.put("until", leased ? f.leaseUntil() : null);
            item.put("lease", lease);
            item.put("store", f.storeId());
        }
        return item;
    }
}

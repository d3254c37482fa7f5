package fr.spie.gateway.files;

import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.security.GatewayPrincipal;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** The partners' file API: upload a file, follow its processing and read its report. */
@RestController
public class FileController {
    static final int REJECTIONS_SHOWN = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FileIntake intake;
    private final FilesProperties properties;

    public FileController(FileIntake intake, FilesProperties properties) {
        this.intake = intake;
        this.properties = properties;
    }

    /**
     * Raw body (any content type) or {@code multipart/form-data} with a {@code file} part; optional {@code ?name=}.
     * Answers 202 once the file is stored with its digest and recorded.
     */
    @PostMapping("/api/v1/partners/{partnerId}/files")
    public ResponseEntity<Map<String, Object>> upload(@PathVariable String partnerId, HttpServletRequest request,
                                                      @AuthenticationPrincipal GatewayPrincipal caller)
            throws IOException, ServletException {
        if (!caller.isPartner(partnerId)) {
            throw new IntakeRejection(403, "partner-mismatch", "Partner does not match the credential",
                    "your credential is not the one of partner '" + partnerId + "'");
        }
        intake.channelOf(partnerId);
        String name = queryParameter(request, "name");
        long max = properties.maxSize().toBytes();
        if (request.getContentLengthLong() > max) {
            throw new IntakeRejection(413, "file-too-large", "File too large",
                    "the file exceeds the limit of " + max + " bytes");
        }
        ReceivedFile file;
        if (isMultipart(request.getContentType())) {
            Part part = filePart(request);
            if (name == null) {
                name = part.getSubmittedFileName();
            }
            checkName(name);
            try (InputStream in = part.getInputStream()) {
                file = intake.upload(partnerId, name, in);
            } finally {
                part.delete();
            }
        } else {
            checkName(name);
            try (InputStream in = request.getInputStream()) {
                file = intake.upload(partnerId, name, in);
            }
        }
        String statusUrl = "/api/v1/files/" + file.fileId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fileId", file.fileId().toString());
        body.put("status", file.status().name());
        body.put("statusUrl", statusUrl);
        body.put("digest", file.digest());
        body.put("size", file.size());
        if (file.duplicateOf() != null) {
            body.put("duplicateOf", file.duplicateOf().toString());
        }
        return ResponseEntity.accepted().location(URI.create(statusUrl)).body(body);
    }

    @GetMapping(value = "/api/v1/files/{fileId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> status(@PathVariable String fileId, @AuthenticationPrincipal GatewayPrincipal caller) {
        UUID id;
        try {
            id = UUID.fromString(fileId);
        } catch (IllegalArgumentException e) {
            throw new IntakeRejection(400, "invalid-file-id", "Invalid file id", "'" + fileId + "' is not a UUID");
        }
        ReceivedFile f = intake.find(id)
                .filter(x -> caller.role() == GatewayPrincipal.Role.ADMIN || caller.isPartner(x.partner()))
                .orElseThrow(() -> new IntakeRejection(404, "file-not-found", "File not found",
                        "no file " + id + " sent by you"));
        Map<String, Object> view = view(f, intake.rejections(id, REJECTIONS_SHOWN));
        if (caller.role() == GatewayPrincipal.Role.ADMIN && !f.status().finished()) {
            view.putAll(whereabouts(f, intake.fileStore(f.storeId()).orElse(null), Instant.now()));
        }
        return view;
    }

    /**
     * For an administrator, of a file not finished: the lease of the instance processing it (none: it waits), and
     * the file store that holds its bytes with the instance that used it last and whether it still runs. A file with
     * no lease whose store no running instance uses cannot be read until one does (docs/files.md).
     */
    static Map<String, Object> whereabouts(ReceivedFile f, ReceivedFileStore.Elsewhere fileStore, Instant now) {
        Map<String, Object> v = new LinkedHashMap<>();
        boolean leased = f.leaseHolder() != null && f.leaseUntil() != null && f.leaseUntil().isAfter(now);
        Map<String, Object> lease = new LinkedHashMap<>();
        lease.put("holder", leased ? f.leaseHolder() : null);
        lease.put("until", leased ? f.leaseUntil() : null);
        v.put("lease", lease);
        Map<String, Object> bytes = new LinkedHashMap<>();
        bytes.put("store", f.storeId());
        bytes.put("receivedBy", f.storedBy());
        bytes.put("storeLastUsedBy", fileStore == null ? null : fileStore.storeUsedBy());
        bytes.put("storeLocation", fileStore == null ? null : fileStore.storeLocation());
        bytes.put("storeLastSeen", fileStore == null ? null : fileStore.storeSeenAt());
        bytes.put("storeRunning", fileStore != null && fileStore.storeRunning());
        v.put("bytes", bytes);
        return v;
    }

    static Map<String, Object> view(ReceivedFile f, java.util.List<ReceivedFileStore.Rejection> rejections) {
        Map<String, Object> v = summary(f);
        // only the first ReceivedFileStore.MAX_REJECTIONS_KEPT are kept: the report says when the list is not whole
        v.put("rejectionsTruncated", f.rejected() > rejections.size());
        v.put("rejections", rejections.stream().map(r -> Map.of("location", r.location(), "reason", r.reason()))
                .toList());
        if (f.facts() != null) {
            v.put("facts", JSON.readTree(f.facts()));
        }
        return v;
    }

    /**
     * A file's report without its rejections and facts: what {@code GET /api/v1/files} lists (the list never shows
     * the rejected records).
     */
    static Map<String, Object> summary(ReceivedFile f) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("fileId", f.fileId().toString());
        v.put("partner", f.partner());
        v.put("name", f.name());
        v.put("channel", f.channel());
        v.put("format", f.format());
        v.put("digest", f.digest());
        v.put("size", f.size());
        v.put("status", f.status().name());
        v.put("attempts", f.attempts());
        if (f.duplicateOf() != null) {
            v.put("duplicateOf", f.duplicateOf().toString());
        }
        v.put("receivedAt", f.receivedAt());
        v.put("startedAt", f.startedAt());
        v.put("finishedAt", f.finishedAt());
        v.put("bytesDeletedAt", f.bytesDeletedAt());
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("records", f.records());
        counts.put("accepted", f.accepted());
        counts.put("unchanged", f.unchanged());
        counts.put("rejected", f.rejected());
        v.put("counts", counts);
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("recordsDone", f.recordsDone());
        progress.put("recordsTotal", f.recordsTotal());
        progress.put("ratePerSecond", rate(f));
        v.put("progress", progress);
        v.put("rejectionsTotal", f.rejected());
        if (f.status() == FileStatus.QUARANTINED) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("reason", f.quarantineReason());
            q.put("location", f.quarantineLocation());
            v.put("quarantine", q);
        }
        return v;
    }

    /** Records per second since the start, up to the last progress report (or now while running). */
    private static double rate(ReceivedFile f) {
        if (f.startedAt() == null || f.recordsDone() == 0) {
            return 0;
        }
        Instant end = f.finishedAt() != null ? f.finishedAt()
                : f.progressAt() != null ? f.progressAt() : Instant.now();
        double seconds = Math.max(0.001, Duration.between(f.startedAt(), end).toMillis() / 1000.0);
        return Math.round(f.recordsDone() / seconds * 10) / 10.0;
    }

    /**
     * The one part named {@code file}. Several are refused (400 {@code several-file-parts}): only the first would be
     * read, the others lost while the upload answered 202.
     */
    private static Part filePart(HttpServletRequest request) throws IOException, ServletException {
        java.util.List<Part> files = request.getParts().stream().filter(p -> "file".equals(p.getName())).toList();
        if (files.isEmpty()) {
            throw new IntakeRejection(400, "missing-file-part", "Missing file part",
                    "a multipart/form-data upload needs a part named 'file'");
        }
        if (files.size() > 1) {
            for (Part p : files) {
                p.delete();
            }
            throw new IntakeRejection(400, "several-file-parts", "Several file parts",
                    "this upload holds " + files.size() + " parts named 'file': send one file per request");
        }
        return files.get(0);
    }

    private static void checkName(String name) {
        if (name != null) {
            FileNames.problem(name).ifPresent(problem -> {
                throw new IntakeRejection(400, "invalid-file-name", "Invalid file name", problem);
            });
        }
    }

    private static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
    }

    /** Read from the query string only: a form-encoded raw body must never be parsed as parameters. */
    static String queryParameter(HttpServletRequest request, String key) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        try {
            return queryParameter(query, key);
        } catch (IllegalArgumentException e) {
            throw new IntakeRejection(400, "invalid-query", "Invalid query string", "the query string is not "
                    + "correctly percent-encoded");
        }
    }

    /** The parameter's one value; given twice, a 400 (not the first one silently, as before). */
    private static String queryParameter(String query, String key) {
        String value = null;
        int count = 0;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(key)) {
                count++;
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        if (count > 1) {
            String what = "given " + count + " times; give it once";
            throw new IntakeRejection(400, "invalid-parameter", "Invalid query parameter", key + ": " + what,
                    java.util.List.of(new IntakeRejection.FieldError(key, what)), null);
        }
        return value;
    }
}

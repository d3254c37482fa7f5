package fr.spie.gateway.files;

import fr.spie.gateway.intake.IntakeRejection;
import fr.spie.gateway.intake.Rfc3339Instants;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The query of {@code GET /api/v1/files}, checked: {@code partner}, {@code status} (repeatable or comma-separated),
 * {@code since} (inclusive) and {@code until} (exclusive) on the reception time, RFC 3339 with seconds and an offset,
 * {@code limit} (1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}) and the {@code after} cursor. Anything
 * else, or a bad value, is a 400 {@code invalid-parameter} naming the parameter: a misspelt filter must not silently
 * list every file.
 */
record FileListQuery(String partner, Set<FileStatus> statuses, Instant since, Instant until, int limit,
                     FileListCursor after) {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final Set<String> PARAMETERS = Set.of("partner", "status", "since", "until", "limit", "after");
    /** A partner id as config/README.md defines it (kebab-case, at most 64 characters). */
    private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    /** RFC 3339 date-time: seconds and an offset are required (Java alone would take {@code 10:15Z}). */
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})");

    static FileListQuery of(Map<String, String[]> parameters) {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw bad(name, "unknown parameter; the filters are partner, status, since, until, limit and after");
            }
        }
        String partner = single(parameters, "partner");
        if (partner != null && (partner.length() > 64 || !PARTNER_ID.matcher(partner).matches())) {
            throw bad("partner", "'" + partner + "' is not a partner id (kebab-case, at most 64 characters)");
        }
        Instant since = instant("since", single(parameters, "since"));
        Instant until = instant("until", single(parameters, "until"));
        if (since != null && until != null && !until.isAfter(since)) {
            throw bad("until", "must be after since (since is inclusive, until exclusive)");
        }
        String after = single(parameters, "after");
        return new FileListQuery(partner, statuses(parameters.get("status")), since, until, limit(single(parameters,
                "limit")), after == null ? null : cursor(after));
    }

    /** The same query from another position: the {@code next} link of a page (relative to the gateway). */
    String next(FileListCursor position) {
        List<String> query = new ArrayList<>();
        if (partner != null) {
            query.add("partner=" + encode(partner));
        }
        if (!statuses.isEmpty()) {
            query.add("status=" + String.join(",", statuses.stream().map(Enum::name).toList()));
        }
        if (since != null) {
            query.add("since=" + encode(since.toString()));
        }
        if (until != null) {
            query.add("until=" + encode(until.toString()));
        }
        query.add("limit=" + limit);
        query.add("after=" + position.encode());
        return "/api/v1/files?" + String.join("&", query);
    }

    FileListQuery forPartner(String partnerId) {
        return new FileListQuery(partnerId, statuses, since, until, limit, after);
    }

    private static String single(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        if (values == null || values.length == 0) {
            return null;
        }
        if (values.length > 1) {
            throw bad(name, "given " + values.length + " times; give it once");
        }
        return values[0].isBlank() ? null : values[0].strip();
    }

    private static Set<FileStatus> statuses(String[] values) {
        Set<FileStatus> statuses = EnumSet.noneOf(FileStatus.class);
        if (values == null) {
            return statuses;
        }
        for (String value : values) {
            for (String name : value.split(",", -1)) {
                String status = name.strip().toUpperCase(Locale.ROOT);
                try {
                    statuses.add(FileStatus.valueOf(status));
                } catch (IllegalArgumentException e) {
                    throw bad("status", "'" + name.strip() + "' is not a file status; one of "
                            + String.join(", ", Arrays.stream(FileStatus.values()).map(Enum::name).toList()));
                }
            }
        }
        return statuses;
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        String hint = value.contains(" ") ? " (a '+' in a URL's query is read as a space: write it %2B)" : "";
        if (!DATE_TIME.matcher(value).matches()) {
            throw bad(name, "'" + value + "' is not an RFC 3339 date-time with seconds and an offset, e.g. "
                    + "2026-03-02T00:00:00Z or 2026-03-02T00:00:00%2B01:00" + hint);
        }
        try {
            return Rfc3339Instants.parse(value);
        } catch (RuntimeException e) {
            throw bad(name, "'" + value + "' is not a valid date-time");
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw bad("limit", "'" + value + "' is not a number from 1 to " + MAX_LIMIT);
    }

    private static FileListCursor cursor(String value) {
        try {
            return FileListCursor.decode(value);
        } catch (RuntimeException e) {
            throw bad("after", "not a cursor this gateway gave: use the 'next' link of the previous page as it is");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static IntakeRejection bad(String name, String what) {
        return new IntakeRejection(400, "invalid-parameter", "Invalid query parameter", name + ": " + what,
                List.of(new IntakeRejection.FieldError(name, what)), null);
    }
}

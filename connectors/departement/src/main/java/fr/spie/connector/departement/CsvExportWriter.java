package fr.spie.connector.departement;

import fr.spie.connector.SpieRecord;
import fr.spie.connector.departement.FileMapping.FieldMapping;
import fr.spie.connector.identity.IdentifierIssuer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Writes SPIE records of one record type as a CSV export file for a département system, with the columns of a
 * {@link FileMapping} read in reverse (the same mapping that imports the partner's files). Values come from the payload
 * for fields that target the record type (or {@code person} when exporting persons), and from the subject for fields
 * that target {@code person}/{@code subject} otherwise; code lists are reversed (first code giving the value), dates
 * are written with the mapping's first date format, identifiers by scheme (and issuer, see
 * {@link #CsvExportWriter(FileMapping, String, IdentifierIssuers)}), lists joined with the list separator.
 *
 * <p>Atomic: the file is written to {@code <outbox>/.<name>.<random>.tmp} (hidden, flushed to disk, a name of its own
 * so that two writes of the same export at once do not meddle), then published as {@code <outbox>/<name>} by a hard
 * link that fails when the name exists (an atomic move where the file system has no hard links); a reader polling the
 * outbox sees no file, then the complete file. On any failure the temporary file is deleted and nothing is published;
 * temporary files a stopped write left in the outbox more than an hour ago are deleted (once an hour per outbox). An
 * existing export is never overwritten. The
 * file name is a plain name ({@code [A-Za-z0-9][A-Za-z0-9._-]*}, no path, no {@code ..}): anything else is refused.
 * A character the mapping's encoding cannot represent fails the export (nothing is silently replaced).
 *
 * <p>CSV injection: a partner's text that a spreadsheet would run as a formula (starting with {@code =}, {@code @},
 * a tab, a carriage return, or {@code +}/{@code -} when it is not a number or a phone number) is written with a
 * leading {@code '} ({@link SpreadsheetFormulas}); codes, dates, booleans and numbers are written as they are.
 */
public final class CsvExportWriter {

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    /** A temporary file's name: {@code .<name>.<8 hex>.tmp}, or {@code .<name>.tmp} (earlier versions). */
    private static final Pattern TEMPORARY_NAME = Pattern.compile("\\.[A-Za-z0-9][A-Za-z0-9._-]*\\.tmp");
    /** When each outbox was last cleaned of abandoned temporary files, in this process. */
    private static final Map<Path, Instant> LAST_CLEAN_UP = new ConcurrentHashMap<>();
    /** A temporary file unchanged for this long is a write that stopped (the gateway stopped mid-way). */
    private static final Duration ABANDONED_AFTER = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final FileMapping mapping;
    private final String recordType;
    private final IdentifierIssuers issuers;
    private final List<Column> columns;
    private final DateTimeFormatter exportDate;

    private record Column(String name, List<FieldMapping> fields) {
    }

    /** Writing every identifier column with the first identifier of its scheme, whoever issued it. */
    public CsvExportWriter(FileMapping mapping, String recordType) {
        this(mapping, recordType, IdentifierIssuers.NONE);
    }

    /**
     * @param issuers who issued the identifiers the partner's files hold: an identifier column is written with the
     *                first identifier of its scheme given without issuer or by the column's issuer (for a
     *                departement-id, by default the partner itself), never with one another organisation issued
     */
    public CsvExportWriter(FileMapping mapping, String recordType, IdentifierIssuers issuers) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.recordType = Objects.requireNonNull(recordType, "recordType");
        this.issuers = Objects.requireNonNull(issuers, "issuers");
        if (mapping.kind() != FileMapping.Kind.CSV) {
            throw new IllegalArgumentException("mapping '" + mapping.name() + "' is not a CSV mapping");
        }
        Map<String, List<FieldMapping>> byColumn = new LinkedHashMap<>();
        for (FieldMapping f : mapping.fields()) {
            String t = f.targetType();
            if (t.equals(recordType) || t.equals("person") || t.equals("subject")) {
                byColumn.computeIfAbsent(f.column(), c -> new ArrayList<>()).add(f);
            }
        }
        if (byColumn.keySet().stream().noneMatch(c -> byColumn.get(c).stream().anyMatch(f -> f.targetType().equals(recordType)))
                && !recordType.equals("person")) {
            throw new IllegalArgumentException("mapping '" + mapping.name() + "' has no column for record type '" + recordType + "'");
        }
        List<Column> cols = new ArrayList<>();
        if (mapping.header()) {
            byColumn.forEach((name, fields) -> cols.add(new Column(name, fields)));
        } else {
            for (String name : mapping.columns()) {
                cols.add(new Column(name, byColumn.getOrDefault(name, List.of())));
            }
        }
        this.columns = List.copyOf(cols);
        this.exportDate = FieldValues.formatters(mapping.dateFormats().isEmpty() ? List.of("yyyy-MM-dd")
                : List.of(mapping.dateFormats().get(0))).get(0);
    }

    /** The column names written, in order. */
    public List<String> columns() {
        return columns.stream().map(Column::name).toList();
    }

    /**
     * Writes the records to {@code outbox/fileName}, atomically.
     *
     * @return the published file
     * @throws IllegalArgumentException   for an unsafe file name or a record of another type
     * @throws FileAlreadyExistsException when the export already exists
     */
    public Path write(Path outbox, String fileName, Iterable<SpieRecord> records) throws IOException {
        Path target = safeTarget(outbox, fileName);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.getFileName().toString());
        }
        deleteAbandonedTemporaryFiles(target.getParent());
        // a name of its own: another write of the same file at once must not write into it, delete it or publish it
        Path tmp = target.resolveSibling("." + fileName + "." + HexFormat.of().toHexDigits(RANDOM.nextInt()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                CharsetEncoder encoder = mapping.encoding().newEncoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
                Writer out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), encoder), 65536);
                if (mapping.header()) {
                    writeRow(out, columns());
                }
                long n = 0;
                for (SpieRecord r : records) {
                    n++;
                    if (!recordType.equals(r.recordType())) {
                        throw new IllegalArgumentException("record " + n + " is a " + r.recordType() + ", this export takes " + recordType);
                    }
                    writeRow(out, row(r));
                }
                out.flush();
                channel.force(true);
            }
            publish(tmp, target);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Gives the complete temporary file its published name, atomically and without replacing a file of that name: a
     * hard link, which fails when the name exists (the link is the file: visible complete at once), then the temporary
     * name is deleted. Where the file system has no hard links (some network shares), an atomic move, which could
     * replace a file another write of the same export published in between (complete too).
     */
    private static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(target.getFileName().toString());
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * Deletes the temporary files a write stopped long ago left in the outbox ({@code .<name>.<8 hex>.tmp}, or
     * {@code .<name>.tmp} as earlier versions named them, unchanged for an hour): they hold personal data nobody will
     * publish. Ones written now are left alone. At most once an hour per folder: the outbox may hold many files.
     */
    private static void deleteAbandonedTemporaryFiles(Path dir) throws IOException {
        Instant now = Instant.now();
        Instant last = LAST_CLEAN_UP.get(dir);
        if (last != null && last.isAfter(now.minus(ABANDONED_AFTER)) || !Files.isDirectory(dir)) {
            return;
        }
        LAST_CLEAN_UP.put(dir, now);
        FileTime abandonedBefore = FileTime.from(now.minus(ABANDONED_AFTER));
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir,
                p -> TEMPORARY_NAME.matcher(p.getFileName().toString()).matches())) {
            for (Path leftover : leftovers) {
                try {
                    if (Files.getLastModifiedTime(leftover, LinkOption.NOFOLLOW_LINKS).compareTo(abandonedBefore) < 0) {
                        Files.deleteIfExists(leftover);
                    }
                } catch (NoSuchFileException e) {
                    // published or deleted meanwhile by its own write
                }
            }
        }
    }

    static Path safeTarget(Path outbox, String fileName) {
        if (fileName == null || !SAFE_NAME.matcher(fileName).matches() || fileName.contains("..")) {
            throw new IllegalArgumentException("unsafe export file name (expected a plain name [A-Za-z0-9._-], no path)");
        }
        Path dir = outbox.toAbsolutePath().normalize();
        Path target = dir.resolve(fileName).normalize();
        if (!dir.equals(target.getParent())) {
            throw new IllegalArgumentException("unsafe export file name (outside the outbox)");
        }
        return target;
    }

    private List<String> row(SpieRecord r) {
        List<String> cells = new ArrayList<>();
        Set<String> written = new HashSet<>();
        for (Column c : columns) {
            String cell = "";
            for (FieldMapping f : c.fields()) {
                JsonNode source = f.targetType().equals(recordType) ? r.payload()
                        : recordType.equals("person") && f.targetType().equals("person") ? r.payload() : r.subject();
                String key = f.targetType() + ":" + f.targetPointer() + (f.identifierScheme() == null ? "" : "#" + f.identifierScheme());
                if (written.contains(key)) {
                    continue;
                }
                String v = reverse(f, source);
                if (v != null) {
                    cell = v;
                    written.add(key);
                    break;
                }
            }
            cells.add(cell);
        }
        return cells;
    }

    private String reverse(FieldMapping f, JsonNode source) {
        JsonNode node;
        if (f.identifierScheme() != null) {
            node = null;
            JsonNode ids = FieldValues.at(source, f.targetPointer());
            String issuer = issuers.issuerOf(f);
            if (ids != null && ids.isArray()) {
                for (JsonNode id : ids) {
                    if (f.identifierScheme().equals(id.path("scheme").asString()) && issuedBy(id, issuer)) {
                        node = id.get("value");
                        break;
                    }
                }
            }
        } else {
            node = FieldValues.at(source, f.targetPointer());
        }
        if (node == null) {
            return null;
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                items.add(reverseScalar(f, item));
            }
            String joined = String.join(f.listSeparator(), items);
            // the cell starts with the first item: a partner's text there could be run as a formula
            return !node.isEmpty() && partnerText(f, node.get(0)) ? SpreadsheetFormulas.neutralise(joined) : joined;
        }
        if (node.isObject()) {
            return null;
        }
        String value = reverseScalar(f, node);
        return partnerText(f, node) ? SpreadsheetFormulas.neutralise(value) : value;
    }

    /**
     * Whether the value is written as the partner gave it (a name, an address, a comment, an identifier): a text that
     * is no code of the mapping's code list, no date the mapping formats, no boolean, no number. Only such a text can
     * carry a formula; the others are written by the mapping and stay as they are.
     */
    private static boolean partnerText(FieldMapping f, JsonNode value) {
        return value.isString() && f.values().isEmpty() && !f.transforms().contains("date");
    }

    /**
     * Whether the identifier may be written in a column of identifiers issued by {@code issuer}: it names no issuer,
     * or the same one. Another département's id in this partner's id column would name one of its people.
     */
    private static boolean issuedBy(JsonNode identifier, String issuer) {
        JsonNode given = identifier.get("issuer");
        return issuer == null || given == null || !given.isString()
                || IdentifierIssuer.same(given.asString(), issuer);
    }

    private String reverseScalar(FieldMapping f, JsonNode value) {
        if (!f.values().isEmpty()) {
            for (Map.Entry<String, Object> e : f.values().entrySet()) {
                if (FieldValues.toNode(e.getValue()).equals(value)) {
                    return e.getKey();
                }
            }
            return "";
        }
        if (f.transforms().contains("date") && value.isString()) {
            return exportDate.format(LocalDate.parse(value.asString()));
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "Oui" : "Non";
        }
        return value.asString();
    }

    private void writeRow(Writer out, List<String> cells) throws IOException {
        char sep = mapping.separator();
        char quote = mapping.quote();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(sep);
            }
            String c = cells.get(i);
            boolean needsQuotes = c.indexOf(sep) >= 0 || c.indexOf(quote) >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0
                    || (!c.isEmpty() && (Character.isWhitespace(c.charAt(0)) || Character.isWhitespace(c.charAt(c.length() - 1))));
            if (needsQuotes) {
                out.write(quote);
                out.write(c.replace(String.valueOf(quote), String.valueOf(quote) + quote));
                out.write(quote);
            } else {
                out.write(c);
            }
        }
        out.write("\r\n");
    }
}

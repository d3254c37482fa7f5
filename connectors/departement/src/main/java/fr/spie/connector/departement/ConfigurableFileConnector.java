package fr.spie.connector.departement;

import fr.spie.connector.InboundConnector;
import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.UnreadableInputException;
import fr.spie.connector.departement.FileMapping.FieldMapping;
import fr.spie.connector.departement.FileMapping.RecordSpec;
import fr.spie.connector.io.ByteOrderMark;
import fr.spie.connector.io.StrictDecodingReader;
import fr.spie.connector.io.Utf8Evidence;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a département RSA software export (Solis, IODAS, Genesis, Perceval, WebRSA... have no common format) as
 * described by a {@link FileMapping}: CSV or JSON Lines, any separator / quote / encoding, a list of date formats,
 * column to SPIE field mappings with code lists, and the record types each line produces.
 *
 * <p>Streaming, one line at a time. Each record's location is {@code line N} (physical line where the CSV row starts;
 * the header is line 1), its change key {@code dep:<value of the key column>}. Values mapped to {@code person} also
 * build the subject of every record of the line (nir, names, birth date, sex, birth place, identifiers; an identifier
 * carries the {@code issuer} {@link IdentifierIssuers} gives for its field, if any). A line that
 * cannot be mapped is passed to {@link RecordSink#reject} with every problem found (column names and expectations,
 * never values) and the file goes on; a missing required column in the header, undecodable text or broken CSV
 * quoting make the whole input unreadable.
 *
 * <p>A UTF-8 byte-order mark always wins over the mapping's encoding: the file is decoded as UTF-8 (fact
 * {@code decodedAs}). A UTF-16 byte-order mark makes the input unreadable.
 *
 * <p>The connector validates what its mapping says (required values, patterns, code lists, required pointers); the
 * mapping is what makes the payloads valid against the SPIE schema (the built-in mappings are tested for it).
 * Thread-safe: no state is kept between reads.
 */
public final class ConfigurableFileConnector implements InboundConnector {

    public static final String FORMAT = "departement-file";
    static final String READ_DATE = "@readDate";
    private static final List<String> SUBJECT_KEYS =
            List.of("nir", "birthName", "usageName", "givenNames", "birthDate", "sex", "birthPlace", "identifiers");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FileMapping mapping;
    private final IdentifierIssuers issuers;
    private final Clock clock;
    private final List<DateTimeFormatter> dateFormatters;

    /** With the built-in default mapping (carnet de bord import bénéficiaires). */
    public ConfigurableFileConnector() {
        this(FileMapping.carnetDeBordBeneficiaires());
    }

    /** With no issuer but those the mapping gives ({@link IdentifierIssuers#NONE}). */
    public ConfigurableFileConnector(FileMapping mapping) {
        this(mapping, IdentifierIssuers.NONE);
    }

    /** @param issuers who issued the identifiers of the partner's files, for those the mapping gives no issuer */
    public ConfigurableFileConnector(FileMapping mapping, IdentifierIssuers issuers) {
        this(mapping, issuers, Clock.system(ZoneId.of("Europe/Paris")));
    }

    /** @param clock gives the date of {@code @readDate} constants */
    public ConfigurableFileConnector(FileMapping mapping, Clock clock) {
        this(mapping, IdentifierIssuers.NONE, clock);
    }

    /**
     * @param issuers who issued the identifiers of the partner's files, for those the mapping gives no issuer
     * @param clock   gives the date of {@code @readDate} constants
     */
    public ConfigurableFileConnector(FileMapping mapping, IdentifierIssuers issuers, Clock clock) {
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.issuers = Objects.requireNonNull(issuers, "issuers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dateFormatters = FieldValues.formatters(mapping.dateFormats());
    }

    public FileMapping mapping() {
        return mapping;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public ReadSummary read(InputStream input, RecordSink sink) throws UnreadableInputException {
        Counters counters = new Counters();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("mapping", mapping.name());
        facts.put("encoding", mapping.encoding().name());
        LocalDate readDate = LocalDate.now(clock);
        long[] position = {1};
        Charset decodedAs = mapping.encoding();
        try {
            BufferedInputStream buffered = new BufferedInputStream(input, 65536);
            // a UTF-8 BOM is skipped and wins: the file declares UTF-8 whatever the mapping says
            ByteOrderMark bom = ByteOrderMark.skip(buffered);
            if (bom.isUtf16()) {
                throw new UnreadableInputException(
                        "UTF-16 byte-order mark: the file must be UTF-8, ISO-8859-1 or windows-1252 text", "line 1");
            }
            decodedAs = bom.charsetOr(mapping.encoding());
            facts.put("bom", Boolean.toString(bom == ByteOrderMark.UTF_8));
            facts.put("decodedAs", decodedAs.name());
            // throws on bad bytes only once the text before them was read: see nextRow and nextLine
            Utf8Evidence bytes = new Utf8Evidence(buffered);
            BufferedReader reader = new BufferedReader(new StrictDecodingReader(bytes, decodedAs), 65536);
            if (mapping.kind() == FileMapping.Kind.CSV) {
                readCsv(reader, sink, counters, readDate, position);
            } else {
                readJsonLines(reader, sink, counters, readDate, position);
            }
            if (bytes.misread(decodedAs)) {
                throw new UnreadableInputException("the file is read as " + decodedAs.name() + " (the mapping's "
                        + "encoding) but its bytes are UTF-8: every accented letter would be read as two characters;"
                        + " set the encoding to UTF-8 (or have the file exported in " + decodedAs.name() + ")",
                        "line 1");
            }
        } catch (UndecodableText e) {
            throw new UnreadableInputException(undecodableMessage(decodedAs), "line " + e.line, e.getCause());
        } catch (CsvRowReader.MalformedCsvException e) {
            throw new UnreadableInputException("broken CSV: " + e.getMessage(), "line " + e.line, e);
        } catch (IOException e) {
            throw new UnreadableInputException("input could not be read: " + e.getClass().getSimpleName(), "line " + position[0], e);
        }
        facts.put("droppedValues", Long.toString(counters.dropped));
        if (counters.nirUncertified > 0) {
            facts.put("nirUncertified", Long.toString(counters.nirUncertified));
        }
        return new ReadSummary(counters.lines, counters.records, counters.rejected, facts);
    }

    private void readCsv(BufferedReader reader, RecordSink sink, Counters counters, LocalDate readDate, long[] position)
            throws IOException, CsvRowReader.MalformedCsvException, UnreadableInputException, UndecodableText {
        CsvRowReader rows = new CsvRowReader(reader, mapping.separator(), mapping.quote());
        Map<String, Integer> index = new HashMap<>();
        int width;
        if (mapping.header()) {
            CsvRowReader.Row header = nextRow(rows);
            if (header == null || header.blank()) {
                throw new UnreadableInputException("empty file: no header line", "line 1");
            }
            List<String> cells = header.cells();
            for (int i = 0; i < cells.size(); i++) {
                index.putIfAbsent(FileMapping.normaliseHeader(cells.get(i)), i);
            }
            List<String> missing = mapping.requiredColumns().stream()
                    .filter(c -> !index.containsKey(FileMapping.normaliseHeader(c))).toList();
            if (!missing.isEmpty()) {
                throw new UnreadableInputException("wrong header for mapping '" + mapping.name() + "': missing column(s) "
                        + missing.stream().map(c -> "'" + c + "'").toList() + " (separator '" + mapping.separator() + "')", "line 1");
            }
            width = cells.size();
        } else {
            for (int i = 0; i < mapping.columns().size(); i++) {
                index.putIfAbsent(FileMapping.normaliseHeader(mapping.columns().get(i)), i);
            }
            width = mapping.columns().size();
        }
        CsvRowReader.Row row;
        while ((row = nextRow(rows)) != null) {
            position[0] = row.line();
            if (row.blank()) {
                continue;
            }
            counters.lines++;
            String location = "line " + row.line();
            if (row.cells().size() > width) {
                reject(sink, counters, location, "line has " + row.cells().size() + " cells, the header has " + width
                        + " (unquoted separator in a value?)");
                continue;
            }
            List<String> cells = row.cells();
            mapLine(column -> {
                Integer i = index.get(FileMapping.normaliseHeader(column));
                return i == null || i >= cells.size() ? null : cells.get(i);
            }, location, sink, counters, readDate);
        }
    }

    private void readJsonLines(BufferedReader reader, RecordSink sink, Counters counters, LocalDate readDate, long[] position)
            throws IOException, UndecodableText {
        String text;
        long line = 0;
        while ((text = nextLine(reader, line + 1)) != null) {
            line++;
            position[0] = line;
            if (line == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
                text = text.substring(1);
            }
            if (text.isBlank()) {
                continue;
            }
            counters.lines++;
            String location = "line " + line;
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JacksonException e) {
                reject(sink, counters, location, "not valid JSON");
                continue;
            }
            if (!node.isObject()) {
                reject(sink, counters, location, "not a JSON object");
                continue;
            }
            JsonNode object = node;
            mapLine(column -> {
                JsonNode v = column.startsWith("/") ? object.at(column) : object.get(column);
                if (v == null || v.isMissingNode() || v.isNull()) {
                    return null;
                }
                return v.isValueNode() ? v.asString() : v.toString();
            }, location, sink, counters, readDate);
        }
    }

    /** The next CSV row; bad bytes are on the line the row reader has reached (the CSV's physical line). */
    private static CsvRowReader.Row nextRow(CsvRowReader rows)
            throws IOException, CsvRowReader.MalformedCsvException, UndecodableText {
        try {
            return rows.next();
        } catch (CharacterCodingException e) {
            throw new UndecodableText(rows.line(), e);
        }
    }

    /** The next line of JSON Lines, {@code line} being its number. */
    private static String nextLine(BufferedReader reader, long line) throws IOException, UndecodableText {
        try {
            return reader.readLine();
        } catch (CharacterCodingException e) {
            throw new UndecodableText(line, e);
        }
    }

    /** Why text decoded with {@code decodedAs} is unreadable: the mapping's encoding, or the BOM's that overrode it. */
    private String undecodableMessage(Charset decodedAs) {
        if (decodedAs.equals(mapping.encoding())) {
            return "not valid " + decodedAs.name() + " text (check the mapping's encoding)";
        }
        return "not valid " + decodedAs.name() + " text (the file starts with a UTF-8 byte-order mark, which overrides the"
                + " mapping's " + mapping.encoding().name() + ")";
    }

    private void reject(RecordSink sink, Counters counters, String location, String reason) {
        counters.rejected++;
        sink.reject(new RecordRejection(location, reason));
    }

    private String value(Function<String, String> cells, String column) {
        String v = cells.apply(column);
        if (v == null || v.isBlank()) {
            return null;
        }
        for (String n : mapping.nullValues()) {
            if (v.strip().equalsIgnoreCase(n)) {
                return null;
            }
        }
        return v;
    }

    private void mapLine(Function<String, String> cells, String location, RecordSink sink, Counters counters,
                         LocalDate readDate) {
        List<String> errors = new ArrayList<>();
        Map<String, ObjectNode> payloads = new LinkedHashMap<>();
        payloads.put("person", FieldValues.NODES.objectNode());
        payloads.put("subject", FieldValues.NODES.objectNode());
        for (RecordSpec spec : mapping.records()) {
            ObjectNode payload = payloads.computeIfAbsent(spec.recordType(), t -> FieldValues.NODES.objectNode());
            spec.constants().forEach((pointer, constant) -> FieldValues.place(payload, pointer,
                    READ_DATE.equals(constant) ? FieldValues.NODES.stringNode(readDate.toString()) : FieldValues.toNode(constant),
                    null, null));
        }
        for (FieldMapping field : mapping.fields()) {
            String raw = value(cells, field.column());
            if (raw == null) {
                if (field.required()) {
                    errors.add("column '" + field.column() + "': value required");
                }
                continue;
            }
            FieldValues.Result r = NirKeyCheck.check(field,
                    FieldValues.transform(field, raw, dateFormatters, mapping.dateFormats()));
            if (r.invalid() != null) {
                if (field.dropInvalid() && !field.required()) {
                    counters.dropped++;
                } else {
                    errors.add("column '" + field.column() + "': " + r.invalid());
                }
                continue;
            }
            if (r.value() != null) {
                FieldValues.place(payloads.get(field.targetType()), field.targetPointer(), r.value(), field,
                        issuers.issuerOf(field));
            }
        }
        if (!errors.isEmpty()) {
            reject(sink, counters, location, String.join("; ", new java.util.LinkedHashSet<>(errors)));
            return;
        }
        ObjectNode subject = FieldValues.NODES.objectNode();
        ObjectNode person = payloads.get("person");
        for (String key : SUBJECT_KEYS) {
            if (person.has(key)) {
                subject.set(key, person.get(key).deepCopy());
            }
        }
        payloads.get("subject").properties().forEach(e -> subject.set(e.getKey(), e.getValue()));
        boolean nirUncertified = leaveUncertifiedNirOut(person, subject);
        boolean identified = subject.has("nir")
                || (subject.get("identifiers") instanceof ArrayNode ids && !ids.isEmpty())
                || (subject.has("birthName") && subject.has("givenNames") && subject.has("birthDate"));
        if (!identified) {
            reject(sink, counters, location, "the person is not identified: "
                    + (nirUncertified ? "its NIR is not certified (never a key)," : "no NIR,")
                    + " no identifier, and not all of birth name, given name, birth date");
            return;
        }
        String key = mapping.keyColumn() == null ? null : value(cells, mapping.keyColumn());
        String changeKey = key == null ? null : mapping.changeKeyPrefix() + ":" + key.strip();
        List<SpieRecord> out = new ArrayList<>();
        List<String> notFilled = new ArrayList<>();
        for (RecordSpec spec : mapping.records()) {
            if (!spec.whenFilled().isEmpty() && spec.whenFilled().stream().allMatch(c -> value(cells, c) == null)) {
                notFilled.addAll(spec.whenFilled());
                continue;
            }
            ObjectNode payload = payloads.get(spec.recordType());
            for (String requirement : spec.require()) {
                String pointer = requirement;
                int cond = requirement.indexOf(" if ");
                if (cond > 0) {
                    pointer = requirement.substring(0, cond).strip();
                    String[] test = requirement.substring(cond + 4).split("=", 2);
                    JsonNode actual = FieldValues.at(payload, test[0].strip());
                    if (actual == null || !actual.asString().equals(test[1].strip())) {
                        continue;
                    }
                }
                if (FieldValues.at(payload, pointer) == null) {
                    errors.add(spec.recordType() + ": " + pointer + " is missing" + sourcesOf(spec.recordType(), pointer));
                }
            }
            out.add(new SpieRecord(spec.recordType(), subject.deepCopy(), payload, location, changeKey));
        }
        if (!errors.isEmpty()) {
            reject(sink, counters, location, String.join("; ", new java.util.LinkedHashSet<>(errors)));
            return;
        }
        if (out.isEmpty()) {
            reject(sink, counters, location, "the line produces no record: columns " + notFilled.stream().distinct()
                    .map(c -> "'" + c + "'").toList() + " are all empty");
            return;
        }
        if (nirUncertified) {
            counters.nirUncertified++;
        }
        for (SpieRecord r : out) {
            counters.records++;
            sink.accept(r);
        }
    }

    /**
     * Applies the person's {@code nirCertified} (a {@link FileMapping#NIR_CERTIFIED} field): {@code false} with a NIR
     * leaves the NIR out of the subject, so that no one is matched on a NIR that may be someone else's (it stays in
     * the person payload, flagged), whether the mapping put it in the subject through the person record or directly
     * ({@code subject:/nir}); the flag is kept only with a NIR in the person payload, which it describes. {@code true}
     * and absent (not stated) leave the NIR in the subject.
     *
     * @return whether the NIR was left out of the subject
     */
    private static boolean leaveUncertifiedNirOut(ObjectNode person, ObjectNode subject) {
        JsonNode certified = person.get("nirCertified");
        if (certified == null) {
            return false;
        }
        boolean uncertified = certified.isBoolean() && !certified.booleanValue();
        if (!person.has("nir")) {
            person.remove("nirCertified");
        }
        if (uncertified && subject.has("nir")) {
            subject.remove("nir");
            return true;
        }
        return false;
    }

    private String sourcesOf(String recordType, String pointer) {
        List<String> columns = mapping.fields().stream()
                .filter(f -> f.targetType().equals(recordType) && f.targetPointer().startsWith(pointer))
                .map(f -> "'" + f.column() + "'").toList();
        return columns.isEmpty() ? "" : " (column " + String.join(" or ", columns) + " empty)";
    }

    /**
     * Bad bytes: {@link StrictDecodingReader} throws only once the text before them was read, so {@code line} (the
     * physical line being read) is theirs.
     */
    private static final class UndecodableText extends Exception {
        final long line;

        UndecodableText(long line, CharacterCodingException cause) {
            super(cause);
            this.line = line;
        }
    }

    private static final class Counters {
        long lines;
        long records;
        long rejected;
        long dropped;
        long nirUncertified;
    }
}

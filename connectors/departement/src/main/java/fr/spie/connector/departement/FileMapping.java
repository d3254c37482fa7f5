package fr.spie.connector.departement;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * How one département file format maps to SPIE records. Plain data, immutable; built from the {@code Map} a YAML or
 * JSON configuration file gives ({@link #fromMap(Map)}) or from a JSON resource ({@link #fromJson(InputStream)}).
 * Every key is documented in the module README.
 *
 * @param name            a name for reports ("carnet-de-bord-beneficiaires")
 * @param kind            CSV or JSON Lines
 * @param separator       CSV cell separator
 * @param quote           CSV quote character (doubled inside a quoted cell)
 * @param header          whether the first CSV line names the columns
 * @param encoding        UTF-8 (a BOM is stripped), ISO-8859-1 or windows-1252
 * @param dateFormats     {@link DateTimeFormatter} patterns tried in order for the {@code date} transform; the first
 *                        one is also the export format
 * @param columns         column names by position, for a CSV file without header row (ignored otherwise)
 * @param keyColumn       column holding the partner-local id; the change key is {@code changeKeyPrefix:<value>}
 * @param changeKeyPrefix prefix of the change key ({@code dep})
 * @param nullValues      cell values meaning "empty" (e.g. {@code NULL})
 * @param fields          column to SPIE field mappings, applied in order
 * @param records         the record types each line produces
 */
public record FileMapping(
        String name,
        Kind kind,
        char separator,
        char quote,
        boolean header,
        Charset encoding,
        List<String> dateFormats,
        List<String> columns,
        String keyColumn,
        String changeKeyPrefix,
        List<String> nullValues,
        List<FieldMapping> fields,
        List<RecordSpec> records) {

    /** Resource name of the built-in default mapping: the carnet de bord "import bénéficiaires" template. */
    public static final String CARNET_DE_BORD_BENEFICIAIRES = "carnet-de-bord-beneficiaires";
    /** Resource name of the built-in orientation / référent export mapping. */
    public static final String DEPARTEMENT_ORIENTATIONS = "departement-orientations";

    static final List<String> DEFAULT_DATE_FORMATS = List.of("dd/MM/yyyy", "yyyy-MM-dd", "dd-MM-yyyy", "dd.MM.yyyy");
    /** The target saying whether the person's NIR is certified (schema 1.1): false leaves it out of the subject. */
    static final String NIR_CERTIFIED = "person:/nirCertified";
    static final Set<String> ENCODINGS = Set.of("UTF-8", "ISO-8859-1", "windows-1252");
    static final Set<String> TRANSFORMS =
            Set.of("trim", "upper", "lower", "strip-spaces", "split-list", "first", "date", "boolean", "integer");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public enum Kind { CSV, JSON_LINES }

    public FileMapping {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(encoding, "encoding");
        dateFormats = List.copyOf(dateFormats);
        columns = List.copyOf(columns);
        changeKeyPrefix = changeKeyPrefix == null ? "dep" : changeKeyPrefix;
        nullValues = List.copyOf(nullValues);
        fields = List.copyOf(fields);
        records = List.copyOf(records);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("mapping '" + name + "': fields is empty");
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException("mapping '" + name + "': records is empty");
        }
        if (kind == Kind.CSV && !header && columns.isEmpty()) {
            throw new IllegalArgumentException("mapping '" + name + "': a CSV file without header needs 'columns'");
        }
        if (separator == quote) {
            throw new IllegalArgumentException("mapping '" + name + "': separator and quote are the same character");
        }
        for (String f : dateFormats) {
            try {
                DateTimeFormatter.ofPattern(f);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mapping '" + name + "': bad date format '" + f + "'", e);
            }
        }
        Set<String> produced = new java.util.HashSet<>();
        records.forEach(r -> produced.add(r.recordType()));
        for (FieldMapping f : fields) {
            if (!f.targetType().equals("subject") && !f.targetType().equals("person") && !produced.contains(f.targetType())) {
                throw new IllegalArgumentException("mapping '" + name + "': field '" + f.column() + "' targets record type '"
                        + f.targetType() + "' which 'records' does not produce");
            }
        }
    }

    /** Columns the header must have: those of required fields and the key column. */
    List<String> requiredColumns() {
        List<String> required = new ArrayList<>();
        if (keyColumn != null) {
            required.add(keyColumn);
        }
        for (FieldMapping f : fields) {
            if (f.required() && !required.contains(f.column())) {
                required.add(f.column());
            }
        }
        return required;
    }

    /** The built-in default: carnet de bord {@code import_beneficiaires.csv}. */
    public static FileMapping carnetDeBordBeneficiaires() {
        return builtin(CARNET_DE_BORD_BENEFICIAIRES);
    }

    /** Loads a built-in mapping shipped as {@code fr/spie/connector/departement/<name>.json}. */
    public static FileMapping builtin(String name) {
        if (!name.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("bad built-in mapping name");
        }
        try (InputStream in = FileMapping.class.getResourceAsStream(name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no built-in mapping '" + name + "'");
            }
            return fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a mapping from JSON (same keys as {@link #fromMap(Map)}). */
    public static FileMapping fromJson(InputStream json) {
        Map<String, Object> map = JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        return fromMap(map);
    }

    /**
     * Builds a mapping from the generic map a YAML/JSON parser gives. Unknown keys are refused (a typo must not silently
     * disable a mapping).
     *
     * @throws IllegalArgumentException naming the key that is wrong
     */
    public static FileMapping fromMap(Map<String, ?> map) {
        Reader r = new Reader("mapping", map, Set.of("name", "kind", "separator", "quote", "header", "encoding",
                "dateFormats", "columns", "keyColumn", "changeKeyPrefix", "nullValues", "fields", "records"));
        String kindText = r.string("kind", "csv");
        Kind kind = switch (kindText) {
            case "csv" -> Kind.CSV;
            case "json-lines" -> Kind.JSON_LINES;
            default -> throw new IllegalArgumentException("mapping.kind: expected csv or json-lines");
        };
        String encodingName = r.string("encoding", "UTF-8");
        String canonical = ENCODINGS.stream().filter(e -> e.equalsIgnoreCase(encodingName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("mapping.encoding: expected one of " + ENCODINGS));
        List<FieldMapping> fields = new ArrayList<>();
        List<Map<String, ?>> fieldMaps = r.maps("fields");
        for (int i = 0; i < fieldMaps.size(); i++) {
            fields.add(FieldMapping.fromMap("mapping.fields[" + i + "]", fieldMaps.get(i)));
        }
        List<RecordSpec> records = new ArrayList<>();
        List<Map<String, ?>> recordMaps = r.maps("records");
        for (int i = 0; i < recordMaps.size(); i++) {
            records.add(RecordSpec.fromMap("mapping.records[" + i + "]", recordMaps.get(i)));
        }
        return new FileMapping(
                r.string("name", "unnamed"),
                kind,
                r.character("separator", ';'),
                r.character("quote", '"'),
                r.bool("header", true),
                Charset.forName(canonical),
                r.strings("dateFormats", DEFAULT_DATE_FORMATS),
                r.strings("columns", List.of()),
                r.string("keyColumn", null),
                r.string("changeKeyPrefix", "dep"),
                r.strings("nullValues", List.of()),
                fields,
                records);
    }

    /**
     * One column to one SPIE field.
     *
     * @param column           column name (CSV header) or JSON field name / JSON Pointer (JSON Lines)
     * @param target           {@code <recordType>:<JSON Pointer>} into that record's payload, or
     *                         {@code subject:<JSON Pointer>}; values for {@code person} also build the subject
     * @param required         an empty value rejects the line, and the header must have the column
     * @param transforms       applied in order: trim, upper, lower, strip-spaces, split-list, first, date, boolean, integer
     * @param listSeparator    separator for split-list
     * @param values           code list: value read (after transforms) to value written; unknown values are invalid
     * @param identifierScheme when set, the value is appended to the array at target as {scheme, value}
     * @param identifierIssuer with identifierScheme: who issued the identifiers of this column ({@code "CAF 511"}),
     *                         written as their {@code issuer}; null for the partner's default ({@link IdentifierIssuers})
     * @param pattern          the (transformed) value must match this regex
     * @param onInvalid        {@code reject} the line (default) or {@code drop} the value
     * @param joinWith         when the target already holds a string, append this then the value
     */
    public record FieldMapping(
            String column,
            String target,
            boolean required,
            List<String> transforms,
            String listSeparator,
            Map<String, Object> values,
            String identifierScheme,
            String identifierIssuer,
            String pattern,
            boolean dropInvalid,
            String joinWith) {

        public FieldMapping {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(target, "target");
            transforms = List.copyOf(transforms);
            values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            listSeparator = listSeparator == null ? "," : listSeparator;
            int colon = target.indexOf(':');
            if (colon < 1 || !target.substring(colon + 1).startsWith("/")) {
                throw new IllegalArgumentException("field '" + column + "': target must be <recordType>:/json/pointer");
            }
            for (String t : transforms) {
                if (!TRANSFORMS.contains(t)) {
                    throw new IllegalArgumentException("field '" + column + "': unknown transform '" + t + "', expected one of "
                            + new java.util.TreeSet<>(TRANSFORMS));
                }
            }
            if (pattern != null) {
                Pattern.compile(pattern);
            }
            if (target.equals(NIR_CERTIFIED)) {
                checkNirCertified(column, transforms, values, dropInvalid);
            } else if (target.equals("subject:/nirCertified")) {
                throw new IllegalArgumentException("field '" + column + "': the subject has no nirCertified: target "
                        + NIR_CERTIFIED + " (an uncertified NIR is then left out of the subject)");
            }
            if (identifierIssuer != null) {
                if (identifierScheme == null) {
                    throw new IllegalArgumentException("field '" + column + "': identifierIssuer needs identifierScheme");
                }
                IdentifierIssuers.check("field '" + column + "': identifierIssuer", identifierIssuer);
            }
        }

        /**
         * The person's {@code nirCertified} must be a boolean read from the column, never a guess: the {@code boolean}
         * transform or a code list of booleans, and an invalid value rejects the line (no {@code onInvalid: drop},
         * which would leave the NIR used as a certified one).
         */
        private static void checkNirCertified(String column, List<String> transforms, Map<String, Object> values,
                                              boolean dropInvalid) {
            boolean booleans = values.isEmpty() ? transforms.contains("boolean")
                    : values.values().stream().allMatch(v -> v instanceof Boolean);
            if (!booleans) {
                throw new IllegalArgumentException("field '" + column + "': " + NIR_CERTIFIED + " is a boolean: give "
                        + "the boolean transform, or values mapping each code to true or false");
            }
            if (dropInvalid) {
                throw new IllegalArgumentException("field '" + column + "': " + NIR_CERTIFIED + " cannot use "
                        + "onInvalid: drop (a dropped value would let an uncertified NIR be used as certified)");
            }
        }

        public String targetType() {
            return target.substring(0, target.indexOf(':'));
        }

        public String targetPointer() {
            return target.substring(target.indexOf(':') + 1);
        }

        static FieldMapping fromMap(String where, Map<String, ?> map) {
            Reader r = new Reader(where, map, Set.of("column", "target", "required", "transforms", "listSeparator",
                    "values", "identifierScheme", "identifierIssuer", "pattern", "onInvalid", "joinWith"));
            String onInvalid = r.string("onInvalid", "reject");
            if (!onInvalid.equals("reject") && !onInvalid.equals("drop")) {
                throw new IllegalArgumentException(where + ".onInvalid: expected reject or drop");
            }
            String column = r.requiredString("column");
            String target = r.requiredString("target");
            try {
                return new FieldMapping(column, target, r.bool("required", false), r.strings("transforms", List.of()),
                        r.string("listSeparator", ","), r.map("values"), r.string("identifierScheme", null),
                        r.string("identifierIssuer", null), r.string("pattern", null), onInvalid.equals("drop"), r.string("joinWith", null));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * A record type each line produces.
     *
     * @param recordType SPIE record type
     * @param whenFilled produce it only when at least one of these columns is not empty (empty list: always)
     * @param constants  JSON Pointer to value, set before the fields; the string {@code @readDate} is the read's date
     * @param require    JSON Pointers that must be present once mapped, else the line is rejected
     */
    public record RecordSpec(String recordType, List<String> whenFilled, Map<String, Object> constants, List<String> require) {
        public RecordSpec {
            Objects.requireNonNull(recordType, "recordType");
            if (recordType.equals("subject")) {
                throw new IllegalArgumentException("'subject' is not a record type");
            }
            whenFilled = List.copyOf(whenFilled);
            constants = constants == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(constants));
            require = List.copyOf(require);
        }

        static RecordSpec fromMap(String where, Map<String, ?> map) {
            Reader r = new Reader(where, map, Set.of("recordType", "whenFilled", "constants", "require"));
            return new RecordSpec(r.requiredString("recordType"), r.strings("whenFilled", List.of()), r.map("constants"),
                    r.strings("require", List.of()));
        }
    }

    /** Typed access to a config map, with the key in every error message. */
    private record Reader(String where, Map<String, ?> map) {
        Reader(String where, Map<String, ?> map, Set<String> allowed) {
            this(where, map);
            for (String key : map.keySet()) {
                if (!allowed.contains(key)) {
                    throw new IllegalArgumentException(where + "." + key + ": unknown key, expected one of "
                            + new java.util.TreeSet<>(allowed));
                }
            }
        }

        String string(String key, String fallback) {
            Object v = map.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof String s)) {
                throw new IllegalArgumentException(where + "." + key + ": expected a string");
            }
            return s;
        }

        String requiredString(String key) {
            String s = string(key, null);
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException(where + "." + key + ": required");
            }
            return s;
        }

        char character(String key, char fallback) {
            String s = string(key, null);
            if (s == null) {
                return fallback;
            }
            if (s.equals("\\t") || s.equalsIgnoreCase("tab")) {
                return '\t';
            }
            if (s.length() != 1) {
                throw new IllegalArgumentException(where + "." + key + ": expected one character");
            }
            return s.charAt(0);
        }

        boolean bool(String key, boolean fallback) {
            Object v = map.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Boolean b)) {
                throw new IllegalArgumentException(where + "." + key + ": expected true or false");
            }
            return b;
        }

        List<String> strings(String key, List<String> fallback) {
            Object v = map.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
                throw new IllegalArgumentException(where + "." + key + ": expected a list of strings");
            }
            return list.stream().map(String.class::cast).toList();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(String key) {
            Object v = map.get(key);
            if (v == null) {
                return Map.of();
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(where + "." + key + ": expected a map");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), val));
            return out;
        }

        @SuppressWarnings("unchecked")
        List<Map<String, ?>> maps(String key) {
            Object v = map.get(key);
            if (!(v instanceof List<?> list) || !list.stream().allMatch(Map.class::isInstance)) {
                throw new IllegalArgumentException(where + "." + key + ": expected a list of maps");
            }
            List<Map<String, ?>> out = new ArrayList<>();
            list.forEach(m -> out.add((Map<String, ?>) m));
            return out;
        }
    }

    static String normaliseHeader(String name) {
        String s = name.strip();
        while (s.endsWith("*")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s.toLowerCase(Locale.ROOT);
    }
}

package fr.spie.connector.francetravail;

import fr.spie.connector.InboundConnector;
import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.UnreadableInputException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * France Travail (ex Pôle emploi) SPIE extract, "extract_spie_carnet … principal" CSV: {@code ;} separated, header line,
 * literal {@code NULL} for absent, datetimes {@code YYYY-MM-DD HH:MM:SS.f}, booleans O/N/OUI/NON. Each data line gives a
 * {@code person} record then a {@code jobseeker-situation} record, or one rejection (a line is all or nothing).
 * Streams line by line; thread-safe (no mutable state).
 */
public final class FranceTravailExtractConnector implements InboundConnector {

    public static final String FORMAT = "france-travail-extract-spie";

    static final String ID = "identifiant_unique_de";

    /** Columns without which no line can be mapped: their absence from the header makes the file unreadable. */
    static final List<String> REQUIRED_COLUMNS = List.of(
            ID, "nom", "prenom", "date_naissance", "inscription", "categorie_inscription");

    /** Every column of the extract this connector knows (44); the others are ignored and reported in the facts. */
    static final List<String> KNOWN_COLUMNS = List.of(
            ID, "civilite", "nom", "prenom", "lieu_naissance", "code_lieu_naissance", "date_naissance",
            "adresse_ligne2", "adresse_ligne3", "adresse_ligne4", "adresse_ligne5", "adresse_ligne6", "departement", "dr",
            "rome_1", "appelation_rome_1", "rome_2", "appelation_rome_2", "mrech.axetravailprincipal",
            "mrech.axetravailsecondaire", "der_entretien_ppae", "der_entretien", "inscription", "code_motif_inscription",
            "motif_inscription", "categorie_inscription", "struct_principale", "referent_civilite", "referent_nom",
            "referent_prenom", "referent_mail", "code_safir", "modalite_accompagnement", "struct_suivi", "suivi_debut",
            "suivi_fin_prev", "dif_financiere", "dif_admin_jur", "dif_sante", "dif_logement", "dif_transport",
            "dif_inser_com", "dif_familiale", "brsa");

    /** dif_* columns → jobseeker-situation barriers, in column order. */
    static final Map<String, String> BARRIERS = orderedMap(
            "dif_financiere", "finance",
            "dif_admin_jur", "admin",
            "dif_sante", "health",
            "dif_logement", "housing",
            "dif_transport", "transport",
            "dif_inser_com", "social-insertion",
            "dif_familiale", "family");

    private static final Pattern DATE = Pattern.compile(
            "^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]{1,9})?)?)?$");
    private static final Pattern POSTCODE_TOWN = Pattern.compile("^([0-9]{5})\\s+(.+?)(?:\\s+CEDEX(?:\\s+[0-9]{1,3})?)?$");
    private static final Pattern FT_ID = Pattern.compile("^[0-9A-Za-z][0-9A-Za-z-]{0,63}$");
    private static final Pattern CATEGORY = Pattern.compile("^[1-8]$");
    private static final Pattern REASON = Pattern.compile("^[0-9A-Z]{1,4}$");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Charset charset;
    private final String partnerId;

    /** UTF-8 (with or without BOM), no partner id on identifiers/organisations. */
    public FranceTravailExtractConnector() {
        this(StandardCharsets.UTF_8, null);
    }

    /**
     * @param charset   the file's encoding, e.g. UTF-8 or ISO-8859-1; a UTF-8 byte-order mark always wins (the file
     *                  declares UTF-8). Decoding is strict: bytes that are not valid in the charset make the file unreadable.
     * @param partnerId the gateway partner id of the sending France Travail direction (e.g. {@code ft-08}), used as
     *                  {@code issuer} of the france-travail-id and {@code partnerId} of the follow-up structure; or null
     */
    public FranceTravailExtractConnector(Charset charset, String partnerId) {
        this.charset = Objects.requireNonNull(charset, "charset");
        if (partnerId != null && !FtCodes.PARTNER_ID.matcher(partnerId).matches()) {
            throw new IllegalArgumentException("partnerId must match " + FtCodes.PARTNER_ID.pattern());
        }
        this.partnerId = partnerId;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public ReadSummary read(InputStream input, RecordSink sink) throws UnreadableInputException {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(sink, "sink");
        long lineNo = 0;
        try {
            BufferedInputStream in = new BufferedInputStream(input, 64 * 1024);
            Charset effective = detectCharset(in);
            CharsetDecoder decoder = effective.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder), 64 * 1024);

            String headerLine = reader.readLine();
            lineNo = 1;
            Header header = parseHeader(headerLine);

            long lines = 0;
            long records = 0;
            long rejected = 0;
            Counters counters = new Counters();
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (line.indexOf('\0') >= 0) {
                    throw new UnreadableInputException("binary content (NUL character) at line " + lineNo
                            + ": not a CSV extract", "line " + lineNo);
                }
                lines++;
                String location = "line " + lineNo;
                try {
                    List<SpieRecord> mapped = mapLine(header, line, location, counters);
                    for (SpieRecord r : mapped) {
                        sink.accept(r);
                        records++;
                    }
                } catch (LineRejected e) {
                    sink.reject(new RecordRejection(location, e.getMessage()));
                    rejected++;
                }
            }
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("format", FORMAT);
            facts.put("charset", effective.name());
            facts.put("columns", Integer.toString(header.columns.size()));
            if (!header.missingOptional.isEmpty()) {
                facts.put("missingOptionalColumns", String.join(",", header.missingOptional));
            }
            if (!header.ignored.isEmpty()) {
                facts.put("ignoredColumns", String.join(",", header.ignored));
            }
            if (counters.droppedReferentMail > 0) {
                facts.put("droppedInvalidReferentMail", Long.toString(counters.droppedReferentMail));
            }
            return new ReadSummary(lines, records, rejected, facts);
        } catch (CharacterCodingException e) {
            long at = lineNo + 1;
            throw new UnreadableInputException("bytes not valid in " + charset.name() + " at line " + at
                    + (charset.equals(StandardCharsets.UTF_8)
                    ? " (an ISO-8859-1/windows-1252 file needs the connector configured with that charset)" : ""),
                    "line " + at, e);
        } catch (IOException e) {
            throw new UnreadableInputException("cannot read the extract: " + e.getMessage(), "line " + (lineNo + 1), e);
        }
    }

    // ---------------------------------------------------------------- header

    private Charset detectCharset(BufferedInputStream in) throws IOException, UnreadableInputException {
        in.mark(4);
        byte[] b = in.readNBytes(3);
        if (b.length == 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            return StandardCharsets.UTF_8; // BOM consumed
        }
        in.reset();
        if (b.length >= 2 && (((b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) || ((b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE))) {
            throw new UnreadableInputException("UTF-16 byte-order mark: the extract must be UTF-8 or ISO-8859-1", "line 1");
        }
        return charset;
    }

    private static Header parseHeader(String headerLine) throws UnreadableInputException {
        if (headerLine == null || headerLine.isBlank()) {
            throw new UnreadableInputException("empty input: no header line", "line 1");
        }
        if (headerLine.indexOf('\0') >= 0 || headerLine.indexOf(';') < 0) {
            throw new UnreadableInputException("line 1 is not a ';'-separated header", "line 1");
        }
        List<String> names;
        try {
            names = SemicolonLine.split(headerLine);
        } catch (IllegalArgumentException e) {
            throw new UnreadableInputException("header: " + e.getMessage(), "line 1");
        }
        Map<String, Integer> index = new HashMap<>();
        List<String> columns = new ArrayList<>();
        Set<String> ignored = new TreeSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).trim().toLowerCase(java.util.Locale.ROOT);
            if (index.putIfAbsent(name, i) != null) {
                throw new UnreadableInputException("header: duplicate column \"" + name + "\"", "line 1");
            }
            columns.add(name);
            if (!KNOWN_COLUMNS.contains(name)) {
                ignored.add(name);
            }
        }
        List<String> missing = REQUIRED_COLUMNS.stream().filter(c -> !index.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new UnreadableInputException("header lacks required column(s) " + missing
                    + ": not a France Travail SPIE extract", "line 1");
        }
        List<String> missingOptional = KNOWN_COLUMNS.stream().filter(c -> !index.containsKey(c)).toList();
        return new Header(columns, index, missingOptional, ignored);
    }

    private record Header(List<String> columns, Map<String, Integer> index, List<String> missingOptional, Set<String> ignored) {
    }

    private static final class Counters {
        long droppedReferentMail;
    }

    // ---------------------------------------------------------------- one line

    /** Thrown (without stack trace) to reject the current line; the message is the specific reason, no personal data. */
    static final class LineRejected extends Exception {
        LineRejected(String message) {
            super(message, null, false, false);
        }
    }

    private final class Row {
        private final Header header;
        private final List<String> values;

        Row(Header header, List<String> values) {
            this.header = header;
            this.values = values;
        }

        /** Trimmed value, or null when the column is absent, empty or {@code NULL}. */
        String opt(String column) {
            Integer i = header.index.get(column);
            if (i == null) {
                return null;
            }
            String v = values.get(i).trim();
            return v.isEmpty() || v.equalsIgnoreCase("NULL") ? null : v;
        }

        String req(String column) throws LineRejected {
            String v = opt(column);
            if (v == null) {
                throw new LineRejected("missing mandatory value in column " + column);
            }
            return v;
        }

        LocalDate date(String column, boolean required) throws LineRejected {
            String v = required ? req(column) : opt(column);
            if (v == null) {
                return null;
            }
            Matcher m = DATE.matcher(v);
            if (!m.matches()) {
                throw new LineRejected("column " + column + ": not a date (expected YYYY-MM-DD[ HH:MM:SS.f])");
            }
            try {
                LocalDate d = LocalDate.parse(m.group(1));
                if (d.getYear() < 1900) {
                    throw new LineRejected("column " + column + ": date before 1900");
                }
                return d;
            } catch (DateTimeException e) {
                throw new LineRejected("column " + column + ": invalid calendar date");
            }
        }

        String name(String column, boolean required) throws LineRejected {
            String v = required ? req(column) : opt(column);
            if (v == null) {
                return null;
            }
            v = v.replaceAll("\\s+", " ");
            if (v.length() > 100) {
                throw new LineRejected("column " + column + ": longer than 100 characters");
            }
            return v;
        }

        String label(String column) {
            String v = opt(column);
            if (v == null) {
                return null;
            }
            v = v.replaceAll("\\s+", " ");
            return v.length() > 500 ? v.substring(0, 500) : v;
        }
    }

    private List<SpieRecord> mapLine(Header header, String line, String location, Counters counters) throws LineRejected {
        List<String> values;
        try {
            values = SemicolonLine.split(line);
        } catch (IllegalArgumentException e) {
            throw new LineRejected(e.getMessage());
        }
        if (values.size() != header.columns.size()) {
            throw new LineRejected("has " + values.size() + " fields, the header has " + header.columns.size());
        }
        Row row = new Row(header, values);

        // ---- identity
        String ftId = row.req(ID);
        if (!FT_ID.matcher(ftId).matches()) {
            throw new LineRejected("column " + ID + ": not a France Travail identifier (letters, digits, '-', max 64)");
        }
        String birthName = row.name("nom", true);
        String givenName = row.name("prenom", true);
        LocalDate birthDate = row.date("date_naissance", true);
        String sex = null;
        String civilite = row.opt("civilite");
        if (civilite != null) {
            sex = FtCodes.CIVILITE.get(FtCodes.codeKey(civilite));
            if (sex == null) {
                throw new LineRejected("column civilite: unknown code \"" + FtCodes.codeKey(civilite) + "\" (expected MME or M.)");
            }
        }
        ObjectNode birthPlace = null;
        String birthCode = row.opt("code_lieu_naissance");
        if (birthCode != null) {
            String c = birthCode.toUpperCase(java.util.Locale.ROOT);
            birthPlace = NODES.objectNode();
            if (FtCodes.COUNTRY.matcher(c).matches()) {
                birthPlace.put("countryCode", c);
            } else if (FtCodes.COMMUNE.matcher(c).matches()) {
                birthPlace.put("communeCode", c);
            } else {
                throw new LineRejected("column code_lieu_naissance: unknown code (expected an INSEE commune or 99xxx country code)");
            }
        }

        ObjectNode identifier = NODES.objectNode();
        identifier.put("scheme", "france-travail-id");
        identifier.put("value", ftId);
        if (partnerId != null) {
            identifier.put("issuer", partnerId);
        }

        ObjectNode subject = NODES.objectNode();
        subject.put("birthName", birthName);
        subject.putArray("givenNames").add(givenName);
        subject.put("birthDate", birthDate.toString());
        if (sex != null) {
            subject.put("sex", sex);
        }
        if (birthPlace != null) {
            subject.set("birthPlace", birthPlace.deepCopy());
        }
        subject.putArray("identifiers").add(identifier.deepCopy());

        ObjectNode person = NODES.objectNode();
        person.put("birthName", birthName);
        person.putArray("givenNames").add(givenName);
        person.put("birthDate", birthDate.toString());
        if (sex != null) {
            person.put("sex", sex);
        }
        if (birthPlace != null) {
            person.set("birthPlace", birthPlace);
        }
        ObjectNode address = address(row);
        if (address != null) {
            person.putObject("contact").set("address", address);
        }
        person.putArray("identifiers").add(identifier);

        // ---- situation
        ObjectNode situation = NODES.objectNode();
        ObjectNode registration = situation.putObject("registration");
        registration.put("date", row.date("inscription", true).toString());
        String category = row.req("categorie_inscription");
        if (!CATEGORY.matcher(category).matches()) {
            throw new LineRejected("column categorie_inscription: unknown category \"" + category + "\" (expected 1..8)");
        }
        registration.put("category", category);
        String reasonCode = row.opt("code_motif_inscription");
        if (reasonCode != null) {
            String rc = reasonCode.toUpperCase(java.util.Locale.ROOT);
            if (!REASON.matcher(rc).matches()) {
                throw new LineRejected("column code_motif_inscription: not a registration reason code (1-4 letters/digits)");
            }
            registration.put("reasonCode", rc);
        }
        putIfNotNull(registration, "reasonLabel", row.label("motif_inscription"));

        String modality = row.opt("modalite_accompagnement");
        if (modality != null) {
            String m = FtCodes.SUPPORT_MODALITY.get(FtCodes.codeKey(modality));
            if (m == null) {
                throw new LineRejected("column modalite_accompagnement: unknown code \"" + FtCodes.codeKey(modality)
                        + "\" (expected GUIDE, RENFORCE, SUIVI or GLOBAL)");
            }
            situation.put("supportModality", m);
        }

        String safir = row.opt("code_safir");
        String structName = row.label("struct_suivi");
        if (structName == null) {
            structName = row.label("struct_principale");
        }
        if (safir != null || structName != null) {
            ObjectNode structure = situation.putObject("structure");
            if (partnerId != null) {
                structure.put("partnerId", partnerId);
            }
            structure.put("kind", "france-travail");
            putIfNotNull(structure, "name", structName);
            if (safir != null) {
                if (!FtCodes.ORG_CODE.matcher(safir).matches()) {
                    throw new LineRejected("column code_safir: not a SAFIR agency code");
                }
                structure.put("code", safir);
            }
        }

        ObjectNode adviser = NODES.objectNode();
        putIfNotNull(adviser, "familyName", row.name("referent_nom", false));
        putIfNotNull(adviser, "givenName", row.name("referent_prenom", false));
        String mail = row.opt("referent_mail");
        if (mail != null) {
            if (FtCodes.EMAIL.matcher(mail).matches() && mail.length() <= 254) {
                adviser.put("email", mail.toLowerCase(java.util.Locale.ROOT));
            } else {
                counters.droppedReferentMail++;
            }
        }
        if (!adviser.isEmpty()) {
            situation.set("adviser", adviser);
        }

        LocalDate ppae = row.date("der_entretien_ppae", false);
        if (ppae != null) {
            situation.put("lastPpaeInterviewDate", ppae.toString());
        }

        Set<String> romes = new LinkedHashSet<>();
        for (String col : List.of("rome_1", "rome_2")) {
            String rome = row.opt(col);
            if (rome != null) {
                String r = rome.toUpperCase(java.util.Locale.ROOT);
                if (!FtCodes.ROME.matcher(r).matches()) {
                    throw new LineRejected("column " + col + ": \"" + r + "\" is not a ROME code (letter A-N + 4 digits)");
                }
                romes.add(r);
            }
        }
        if (!romes.isEmpty()) {
            ArrayNode a = situation.putArray("romeCodes");
            romes.forEach(a::add);
        }

        ArrayNode barriers = NODES.arrayNode();
        boolean anyBarrierKnown = false;
        for (Map.Entry<String, String> e : BARRIERS.entrySet()) {
            String v = row.opt(e.getKey());
            if (v == null) {
                continue;
            }
            Optional<Boolean> yes = FtCodes.yesNo(v);
            if (yes.isEmpty()) {
                throw new LineRejected("column " + e.getKey() + ": unknown value \"" + FtCodes.codeKey(v) + "\" (expected O/N/OUI/NON)");
            }
            anyBarrierKnown = true;
            if (yes.get()) {
                barriers.add(e.getValue());
            }
        }
        if (anyBarrierKnown) {
            situation.set("barriers", barriers);
        }

        String brsa = row.opt("brsa");
        if (brsa != null) {
            Optional<Boolean> yes = FtCodes.yesNo(brsa);
            if (yes.isEmpty()) {
                throw new LineRejected("column brsa: unknown value \"" + FtCodes.codeKey(brsa) + "\" (expected O/N/OUI/NON)");
            }
            situation.put("rsaBeneficiary", yes.get());
        }

        String changeKey = "ft:" + ftId;
        return List.of(
                new SpieRecord("person", subject, person, location, changeKey),
                new SpieRecord("jobseeker-situation", subject.deepCopy(), situation, location, changeKey));
    }

    /** adresse_ligne2..5 → line (joined with ", "); adresse_ligne6 "08300 RETHEL" → postalCode + communeName. */
    private static ObjectNode address(Row row) {
        List<String> parts = new ArrayList<>();
        for (String col : List.of("adresse_ligne2", "adresse_ligne3", "adresse_ligne4", "adresse_ligne5")) {
            String v = row.opt(col);
            if (v != null) {
                parts.add(v.replaceAll("\\s+", " "));
            }
        }
        ObjectNode address = NODES.objectNode();
        String l6 = row.opt("adresse_ligne6");
        if (l6 != null) {
            Matcher m = POSTCODE_TOWN.matcher(l6.replaceAll("\\s+", " "));
            if (m.matches() && m.group(2).length() <= 100) {
                address.put("postalCode", m.group(1));
                address.put("communeName", m.group(2));
            } else {
                parts.add(l6.replaceAll("\\s+", " "));
            }
        }
        if (!parts.isEmpty()) {
            String line = String.join(", ", parts);
            address.put("line", line.length() > 300 ? line.substring(0, 300) : line);
        }
        if (address.isEmpty()) {
            return null;
        }
        // keep a stable field order: line, postalCode, communeName
        ObjectNode ordered = NODES.objectNode();
        for (String f : List.of("line", "postalCode", "communeName")) {
            if (address.has(f)) {
                ordered.set(f, address.get(f));
            }
        }
        return ordered;
    }

    private static void putIfNotNull(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}

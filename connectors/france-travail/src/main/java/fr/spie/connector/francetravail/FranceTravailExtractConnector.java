package fr.spie.connector.francetravail;

import fr.spie.connector.InboundConnector;
import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.UnreadableInputException;
import fr.spie.connector.io.ByteOrderMark;
import fr.spie.connector.io.StrictDecodingReader;
import fr.spie.connector.io.Utf8Evidence;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * France Travail (ex Pôle emploi) SPIE extract, "extract_spie_carnet … principal" CSV: {@code ;} separated, header line,
 * literal {@code NULL} for absent, datetimes {@code YYYY-MM-DD HH:MM:SS.f}, booleans O/N/OUI/NON. Each data line gives a
 * {@code person} record then a {@code jobseeker-situation} record, or one rejection (a line is all or nothing).
 * Streams line by line; thread-safe (no mutable state).
 *
 * <p>This class reads the file (charset, lines, summary); {@link ExtractHeader} checks the header, {@link ExtractRow}
 * reads the fields of a line, {@link ExtractPersonMapper} and {@link ExtractSituationMapper} map them.
 */
public final class FranceTravailExtractConnector implements InboundConnector {

    public static final String FORMAT = "france-travail-extract-spie";

    private final Charset charset;
    private final String partnerId;
    private final ExtractPersonMapper persons;

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
        this.persons = new ExtractPersonMapper(partnerId);
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
        boolean bom = false;
        Charset effective = charset;
        try {
            BufferedInputStream in = new BufferedInputStream(input, 64 * 1024);
            // a UTF-8 BOM is skipped and wins: the file declares UTF-8 whatever the configuration
            ByteOrderMark mark = ByteOrderMark.skip(in);
            if (mark.isUtf16()) {
                throw new UnreadableInputException("UTF-16 byte-order mark: the extract must be UTF-8 or ISO-8859-1", "line 1");
            }
            bom = mark == ByteOrderMark.UTF_8;
            effective = mark.charsetOr(charset);
            // throws on bad bytes only once the text before them was read: they are on line lineNo + 1
            Utf8Evidence bytes = new Utf8Evidence(in);
            BufferedReader reader = new BufferedReader(new StrictDecodingReader(bytes, effective), 64 * 1024);

            String headerLine = reader.readLine();
            lineNo = 1;
            ExtractHeader header = ExtractHeader.parse(headerLine);
            ExtractSituationMapper situations = new ExtractSituationMapper(partnerId);

            long lines = 0;
            long records = 0;
            long rejected = 0;
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
                    List<SpieRecord> mapped = mapLine(header, line, location, situations);
                    for (SpieRecord r : mapped) {
                        sink.accept(r);
                        records++;
                    }
                } catch (LineRejected e) {
                    sink.reject(new RecordRejection(location, e.getMessage()));
                    rejected++;
                }
            }
            if (bytes.misread(effective)) {
                throw new UnreadableInputException(misreadMessage(effective.name()), "line 1");
            }
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("format", FORMAT);
            facts.put("charset", effective.name());
            facts.put("columns", Integer.toString(header.columns().size()));
            if (!header.missingOptional().isEmpty()) {
                facts.put("missingOptionalColumns", String.join(",", header.missingOptional()));
            }
            if (!header.ignored().isEmpty()) {
                facts.put("ignoredColumns", String.join(",", header.ignored()));
            }
            if (situations.droppedReferentMails() > 0) {
                facts.put("droppedInvalidReferentMail", Long.toString(situations.droppedReferentMails()));
            }
            if (situations.droppedRomeCodes() > 0) {
                facts.put("droppedInvalidRomeCode", Long.toString(situations.droppedRomeCodes()));
            }
            return new ReadSummary(lines, records, rejected, facts);
        } catch (CharacterCodingException e) {
            long at = lineNo + 1;
            String why = bom ? " (the file starts with a UTF-8 byte-order mark)"
                    : charset.equals(StandardCharsets.UTF_8)
                    ? " (an ISO-8859-1/windows-1252 file needs the connector configured with that charset)" : "";
            throw new UnreadableInputException("bytes not valid in " + effective.name() + " at line " + at + why, "line " + at, e);
        } catch (IOException e) {
            throw new UnreadableInputException("cannot read the extract: " + e.getMessage(), "line " + (lineNo + 1), e);
        }
    }

    /** The channel reads the file in a single-byte encoding but its bytes are UTF-8 (without byte-order mark). */
    static String misreadMessage(String charset) {
        return "the file is read as " + charset + " but its bytes are UTF-8: every accented letter would be read as"
                + " two characters; configure the channel's encoding as UTF-8 (or have the file exported in "
                + charset + ")";
    }

    /** One data line → person, then jobseeker-situation with the same subject and change key. */
    private List<SpieRecord> mapLine(ExtractHeader header, String line, String location, ExtractSituationMapper situations)
            throws LineRejected {
        ExtractRow row = ExtractRow.split(header, line);
        SpieRecord person = persons.map(row, location);
        ObjectNode situation = situations.map(row);
        return List.of(person,
                new SpieRecord("jobseeker-situation", person.subject().deepCopy(), situation, location, person.changeKey()));
    }
}

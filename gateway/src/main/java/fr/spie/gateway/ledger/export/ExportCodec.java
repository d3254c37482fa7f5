package fr.spie.gateway.ledger.export;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes export records as JSON Lines (one object per line) or CSV (RFC 4180, header row; events spread
 * over human-readable columns plus the exact {@code entry}, other records as JSON in the {@code data} column).
 */
public final class ExportCodec {
    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    /** Readable columns of CSV event rows, taken from the entry (the verifier checks they agree with it). */
    public static final List<String> READABLE = List.of("recordedAt", "type", "exchangeId", "actor", "sourcePartner",
            "recipient", "recordType", "routeId", "purpose", "legalBasisType", "subjectPseudonym", "detail");
    private static final List<String> CSV_COLUMNS;

    static {
        List<String> cols = new ArrayList<>(List.of("record", "ledgerIndex", "leafHash", "proofTreeSize",
                "inclusionProof"));
        cols.addAll(READABLE);
        cols.add("entry");
        cols.add("data");
        CSV_COLUMNS = List.copyOf(cols);
    }

    public enum Format {
        JSONL, CSV;

        public static Format parse(String s) {
            return switch (s == null ? "jsonl" : s.trim().toLowerCase()) {
                case "jsonl", "json" -> JSONL;
                case "csv" -> CSV;
                default -> throw new IllegalArgumentException("format must be jsonl or csv");
            };
        }
    }

    private ExportCodec() {
    }

    /** Streams records to an output (the caller closes it). */
    public static final class RecordWriter implements AutoCloseable {
        private final Writer out;
        private final Format format;

        public RecordWriter(OutputStream out, Format format) {
            this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 65536);
            this.format = format;
            if (format == Format.CSV) {
                writeCsvRow(CSV_COLUMNS);
            }
        }

        public void write(Map<String, Object> record) {
            try {
                if (format == Format.JSONL) {
                    out.write(JSON.writeValueAsString(record));
                    out.write('\n');
                } else {
                    writeCsvRow(csvRow(record));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private List<String> csvRow(Map<String, Object> record) {
            List<String> row = new ArrayList<>();
            boolean event = ExportRecord.EVENT.equals(record.get("record"));
            row.add(String.valueOf(record.get("record")));
            if (!event) {
                for (int i = 1; i < CSV_COLUMNS.size() - 1; i++) {
                    row.add("");
                }
                row.add(JSON.writeValueAsString(record));
                return row;
            }
            row.add(String.valueOf(record.get("ledgerIndex")));
            row.add(String.valueOf(record.get("leafHash")));
            Object size = record.get("proofTreeSize");
            row.add(size == null ? "" : size.toString());
            Object proof = record.get("inclusionProof");
            row.add(proof instanceof List<?> l ? String.join(" ", l.stream().map(Object::toString).toList()) : "");
            String entry = (String) record.get("entry");
            Map<String, Object> fields = JSON.readValue(entry, MAP);
            for (String col : READABLE) {
                Object v = fields.get(col);
                row.add(v == null ? "" : v.toString());
            }
            row.add(entry);
            row.add("");
            return row;
        }

        private void writeCsvRow(List<String> values) {
            try {
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    String v = values.get(i);
                    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                        out.write('"');
                        out.write(v.replace("\"", "\"\""));
                        out.write('"');
                    } else {
                        out.write(v);
                    }
                }
                out.write("\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            flush();
        }
    }

    /** Receives parsed records with their line (JSONL) or row (CSV, header = 1) number. */
    public interface RecordSink {
        void accept(long line, Map<String, Object> record);
    }

    /**
     * Reads every record of an export file, in order. CSV is recognised by a {@code .csv} extension; event rows of
     * CSV come back with the JSONL members plus {@code csvReadable} (the readable columns as written).
     *
     * @throws IllegalArgumentException on a line that is not a record
     */
    public static void read(Path file, RecordSink sink) throws IOException {
        if (isCsv(file)) {
            try (BufferedReader in = ExportLines.reader(file)) {
                readCsv(in, sink);
            }
            return;
        }
        readLines(file, (n, line) -> sink.accept(n, parseRecord(n, line)));
    }

    /** Receives the non-blank lines of a JSON Lines export with their line number. */
    interface LineSink {
        void accept(long line, String text);
    }

    /** Reads the non-blank lines of a JSON Lines export, in order, with their line numbers (as {@link #read}). */
    static void readLines(Path file, LineSink sink) throws IOException {
        try (ExportLines lines = ExportLines.open(file)) {
            String line;
            while ((line = lines.next()) != null) {
                sink.accept(lines.number(), line);
            }
        }
    }

    /**
     * One JSON Lines record, as {@link #read} parses it.
     *
     * @throws IllegalArgumentException when the line is not a JSON object
     */
    static Map<String, Object> parseRecord(long n, String line) {
        Map<String, Object> record;
        try {
            record = JSON.readValue(line, MAP);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("line " + n + ": not a JSON object", e);
        }
        if (record == null) {
            throw new IllegalArgumentException("line " + n + ": not a JSON object");
        }
        return record;
    }

    /** True when {@link #read} reads {@code file} as CSV (a {@code .csv} extension), else as JSON Lines. */
    static boolean isCsv(Path file) {
        return file.getFileName().toString().toLowerCase().endsWith(".csv");
    }

    private static void readCsv(Reader in, RecordSink sink) throws IOException {
        List<String> header = readCsvRow(in, 1);
        if (header == null || !header.equals(CSV_COLUMNS)) {
            throw new IllegalArgumentException("row 1: not a SPIE ledger CSV export header");
        }
        long n = 1;
        List<String> row;
        while ((row = readCsvRow(in, n + 1)) != null) {
            n++;
            if (row.size() == 1 && row.get(0).isEmpty()) {
                continue;
            }
            if (row.size() != CSV_COLUMNS.size()) {
                throw new IllegalArgumentException("row " + n + ": " + row.size() + " columns, expected "
                        + CSV_COLUMNS.size());
            }
            Map<String, String> cols = new LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) {
                cols.put(CSV_COLUMNS.get(i), row.get(i));
            }
            if (!ExportRecord.EVENT.equals(cols.get("record"))) {
                Map<String, Object> data;
                try {
                    data = JSON.readValue(cols.get("data"), MAP);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("row " + n + ": data is not a JSON object", e);
                }
                if (data == null) {
                    throw new IllegalArgumentException("row " + n + ": data is not a JSON object");
                }
                // outside the try: the verifier's own refusals (a second header, an unknown record…) keep their words
                sink.accept(n, data);
                continue;
            }
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("record", ExportRecord.EVENT);
            record.put("ledgerIndex", cols.get("ledgerIndex"));
            record.put("leafHash", cols.get("leafHash"));
            if (!cols.get("proofTreeSize").isEmpty()) {
                record.put("proofTreeSize", cols.get("proofTreeSize"));
                String proof = cols.get("inclusionProof").trim();
                record.put("inclusionProof", proof.isEmpty() ? List.of() : List.of(proof.split(" +")));
            }
            record.put("entry", cols.get("entry"));
            Map<String, String> readable = new LinkedHashMap<>();
            for (String c : READABLE) {
                readable.put(c, cols.get(c));
            }
            record.put("csvReadable", readable);
            sink.accept(n, record);
        }
    }

    /**
     * One RFC 4180 row (number {@code n}), or null at end of input.
     *
     * @throws IllegalArgumentException naming the row, when it holds bytes that are not UTF-8
     */
    private static List<String> readCsvRow(Reader in, long n) throws IOException {
        try {
            return readCsvRow(in);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("row " + n + ": not UTF-8 text (bytes that do not decode)");
        }
    }

    private static List<String> readCsvRow(Reader in) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int c;
        while ((c = in.read()) != -1) {
            any = true;
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next != -1) {
                            in.reset();
                        }
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                break;
            } else if (c != '\r') {
                field.append((char) c);
            }
        }
        if (!any) {
            return null;
        }
        out.add(field.toString());
        return out;
    }
}

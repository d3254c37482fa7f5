package fr.spie.connector.missionlocale;

import fr.spie.connector.UnreadableInputException;
import java.io.InputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the dossiers of an i-milo input with Jackson's streaming parser, one at a time (only the current dossier is in
 * memory): one JSON object, a JSON array of them, or JSON Lines (several top-level values). Each element goes to a
 * {@link Handler}, in input order, with its location: {@code line N}, or {@code [i] line N} in an array. Empty input,
 * broken JSON or content after the array make the input unreadable.
 */
final class DossierStream {

    /** What the stream finds, in input order. */
    interface Handler {
        /** A dossier: a JSON object. */
        void dossier(ObjectNode dossier, String location);

        /** An element that is not a JSON object (already skipped). */
        void notAnObject(String location);
    }

    /** Trailing tokens are the next dossiers: the parser is read one dossier at a time. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private DossierStream() {
    }

    /** Reads the whole input and returns its shape: {@code object}, {@code array} or {@code json-lines}. */
    static String read(InputStream input, Handler handler) throws UnreadableInputException {
        String shape = "object";
        JsonParser p = null;
        try {
            p = JSON.createParser(input);
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new UnreadableInputException("empty input: no i-milo dossier", "line 1");
            }
            if (t == JsonToken.START_ARRAY) {
                shape = "array";
                int i = 0;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new UnreadableInputException("truncated JSON array", "line " + p.currentLocation().getLineNr());
                    }
                    String location = "[" + i++ + "] line " + p.currentTokenLocation().getLineNr();
                    element(p, t, location, handler);
                }
                if (p.nextToken() != null) {
                    throw new UnreadableInputException("content after the JSON array", "line " + p.currentTokenLocation().getLineNr());
                }
            } else {
                int values = 0;
                while (t != null) {
                    values++;
                    element(p, t, "line " + p.currentTokenLocation().getLineNr(), handler);
                    t = p.nextToken();
                }
                shape = values > 1 ? "json-lines" : "object";
            }
        } catch (JacksonException e) {
            long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new UnreadableInputException("not valid JSON: " + withoutContent(e.getOriginalMessage()),
                    line < 0 ? null : "line " + line, e);
        } finally {
            if (p != null) {
                p.close();
            }
        }
        return shape;
    }

    /**
     * The parser's message without what it quotes of the file: "Unrecognized token 'DUPONT': was expecting (...)"
     * names the unquoted value it met, which may be a name or a number; the reason keeps only the kind of problem.
     */
    static String withoutContent(String message) {
        return message.replaceAll("\\(.*", "").replaceAll("'[^']*'", "").replaceAll("\\s+:", ":")
                .replaceAll("\\s+", " ").strip();
    }

    private static void element(JsonParser p, JsonToken t, String location, Handler handler) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            handler.notAnObject(location);
            return;
        }
        handler.dossier((ObjectNode) JSON.readTree(p), location);
    }
}

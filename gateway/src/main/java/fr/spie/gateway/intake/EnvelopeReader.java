package fr.spie.gateway.intake;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a request body into a JSON tree, refusing before parsing what is too large and while parsing what is too deep,
 * not JSON, or an object that names a member twice, with a message that says where.
 *
 * <p>Duplicate member names are refused (RFC 8259 section 4 leaves their meaning to each parser; I-JSON, RFC 7493,
 * forbids them): the tree keeps the last value, which is what is validated, routed and keyed, while the envelope is
 * stored and, when a recipient receives the whole of it, delivered as received. The first value, never checked (a
 * field outside the schema, another person's subject), would then reach the recipient, and a recipient whose parser
 * keeps the first value would read another record than the one the gateway decided on.
 */
public final class EnvelopeReader {
    /** The deepest nesting of objects and arrays read (the SPIE schema needs fewer than 10 levels). */
    public static final int MAX_NESTING = 32;

    private final JsonMapper mapper;
    private final long maxBytes;

    public EnvelopeReader(long maxBytes) {
        this.maxBytes = maxBytes;
        this.mapper = strictMapper(maxBytes);
    }

    /**
     * The parser of envelopes, for whoever reads one as the intake does (the CLI's {@code explain}): nesting limited to
     * {@link #MAX_NESTING}, strings to {@code maxBytes}, an object that names a member twice refused.
     */
    public static JsonMapper strictMapper(long maxBytes) {
        return JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxBytes))
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build()).build();
    }

    /** Reads at most the limit; a larger body is refused with 413 without reading the rest. */
    public byte[] readBody(InputStream in, long declaredLength) throws IOException {
        if (declaredLength > maxBytes) {
            throw tooLarge();
        }
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            throw tooLarge();
        }
        return body;
    }

    public JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw malformed("the request body is empty");
        }
        requireUtf8(body);
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw malformed("the envelope must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw malformed("the body is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    /**
     * RFC 8259: JSON exchanged between systems is UTF-8. Checked strictly (overlong forms, lone surrogates, truncated
     * sequences) before parsing, because the parser alone lets some invalid sequences through into stored text.
     */
    static void requireUtf8(byte[] body) {
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(body.length);
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new IntakeRejection(400, "malformed-json", "Malformed JSON",
                    "the body is not valid UTF-8: invalid byte sequence at byte offset " + in.position(),
                    List.of(), null);
        }
    }

    private IntakeRejection tooLarge() {
        return new IntakeRejection(413, "payload-too-large", "Payload too large",
                "the request body exceeds the limit of " + maxBytes + " bytes");
    }

    private static IntakeRejection malformed(String detail) {
        return new IntakeRejection(400, "malformed-json", "Malformed JSON", detail, List.of(), null);
    }
}

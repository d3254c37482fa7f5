package fr.spie.gateway.config;

import fr.spie.connector.departement.IdentifierIssuers;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static fr.spie.gateway.config.GatewayConfigLoader.readable;
import static fr.spie.gateway.config.GatewayConfigLoader.sorted;
import static fr.spie.gateway.config.GatewayConfigLoader.text;

/** Reads a partner's file channel ({@code files}): format, purpose, legal basis, encoding, totals and mapping. */
final class FileChannelReader {
    private final CheckedDocument doc;

    FileChannelReader(CheckedDocument doc) {
        this.doc = doc;
    }

    /** The partner's file channel; format, legal basis and encoding are already checked by the schema. */
    FileChannel files(JsonNode node, String at) {
        if (!node.isObject() || doc.flagged(at)) {
            return null;
        }
        String format = text(node, "format");
        String purpose = text(node, "purpose");
        JsonNode basis = node.path("legalBasis");
        String basisType = text(basis, "type");
        String reference = text(basis, "reference");
        String encoding = text(node, "encoding");
        boolean valid = format != null && purpose != null && basisType != null && reference != null
                && FileChannel.FORMATS.contains(format) && LegalBasis.TYPES.contains(basisType);
        if (encoding != null && format != null && !FileChannel.ENCODING_FORMATS.contains(format)) {
            doc.report(at + "/encoding", readable(at + "/encoding") + ": format '" + format
                    + "' has no configurable encoding (only " + String.join(", ",
                    sorted(FileChannel.ENCODING_FORMATS)) + ")");
            valid = false;
        }
        String declaredCounts = text(node, "declaredCounts");
        if (declaredCounts != null && format != null && !FileChannel.CNAF_VRSB0801.equals(format)) {
            doc.report(at + "/declaredCounts", readable(at + "/declaredCounts") + ": only format '"
                    + FileChannel.CNAF_VRSB0801 + "' declares its totals");
            valid = false;
        }
        JsonNode mapping = node.get("mapping");
        String mappingName = null;
        Map<String, Object> inline = null;
        if (mapping != null && !doc.flagged(at + "/mapping")) {
            if (!FileChannel.DEPARTEMENT_FILE.equals(format)) {
                doc.report(at + "/mapping", readable(at + "/mapping") + ": only format '"
                        + FileChannel.DEPARTEMENT_FILE + "' takes a mapping");
                valid = false;
            } else {
                try {
                    ConfiguredFileMapping configured = ConfiguredFileMapping.read(mapping);
                    mappingName = configured.name();
                    inline = configured.inline();
                } catch (RuntimeException e) {
                    doc.report(at + "/mapping", readable(at + "/mapping") + ": " + e.getMessage());
                    valid = false;
                }
            }
        } else if (mapping != null) {
            valid = false;
        }
        Map<String, String> issuers = identifierIssuers(node, at, format);
        if (!valid || issuers == null) {
            return null;
        }
        return new FileChannel(format, purpose, new LegalBasis(basisType, reference), encoding, mappingName,
                inline, declaredCounts, issuers);
    }

    /**
     * The issuer per identifier scheme of a departement-file channel ({@code identifierIssuers}; schemes and lengths
     * are checked by the schema), empty when not given, null when wrong (reported).
     */
    private Map<String, String> identifierIssuers(JsonNode node, String at, String format) {
        JsonNode issuers = node.get("identifierIssuers");
        String pointer = at + "/identifierIssuers";
        if (issuers == null) {
            return Map.of();
        }
        if (!issuers.isObject() || doc.flagged(pointer)) {
            return null;
        }
        if (!FileChannel.DEPARTEMENT_FILE.equals(format)) {
            doc.report(pointer, readable(pointer) + ": only format '" + FileChannel.DEPARTEMENT_FILE
                    + "' takes identifierIssuers (the other connectors read the issuer from the file or the partner)");
            return null;
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        boolean valid = true;
        for (Map.Entry<String, JsonNode> e : issuers.properties()) {
            String schemeAt = pointer + "/" + e.getKey();
            if (!e.getValue().isString() || doc.flagged(schemeAt)) {
                valid = false;
                continue;
            }
            try {
                IdentifierIssuers.check(readable(schemeAt), e.getValue().asString());
                out.put(e.getKey(), e.getValue().asString());
            } catch (IllegalArgumentException problem) {
                doc.report(schemeAt, problem.getMessage());
                valid = false;
            }
        }
        return valid ? out : null;
    }
}

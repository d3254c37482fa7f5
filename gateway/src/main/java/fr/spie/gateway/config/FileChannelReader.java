package fr.spie.gateway.config;

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
        if (!valid) {
            return null;
        }
        return new FileChannel(format, purpose, new LegalBasis(basisType, reference), encoding, mappingName,
                inline, declaredCounts);
    }
}

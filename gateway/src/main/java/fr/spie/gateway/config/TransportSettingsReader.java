package fr.spie.gateway.config;

import fr.spie.connector.departement.FileMapping;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static fr.spie.gateway.config.GatewayConfigLoader.block;
import static fr.spie.gateway.config.GatewayConfigLoader.readable;
import static fr.spie.gateway.config.GatewayConfigLoader.sorted;
import static fr.spie.gateway.config.GatewayConfigLoader.text;

/**
 * Reads the settings block of a delivery's transport ({@code franceTravailApi}, {@code imiloApi},
 * {@code departementFile}) and checks that no block of another transport is given.
 */
final class TransportSettingsReader {
    private static final Pattern FILE_NAME_VARIABLE = Pattern.compile("\\{([A-Za-z]+)}");
    private static final Pattern SAFE_FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final CheckedDocument doc;

    TransportSettingsReader(CheckedDocument doc) {
        this.doc = doc;
    }

    /**
     * The transport's settings, from its block (franceTravailApi, imiloApi, departementFile); a block of another
     * transport is a problem (it would be silently ignored). Null when invalid (reported).
     */
    TransportSettings transport(JsonNode delivery, String at, String name) {
        boolean valid = true;
        for (String other : TransportSettings.NAMES) {
            String key = block(other);
            if (key != null && !other.equals(name) && delivery.has(key)) {
                doc.report(at + "/" + key, readable(at + "/" + key) + ": settings of transport '" + other
                        + "', but the transport is '" + name + "' (set transport: " + other + " or remove them)");
                valid = false;
            }
        }
        String key = block(name);
        if (key == null) {
            return valid ? new TransportSettings.SpieJson() : null;
        }
        String blockAt = at + "/" + key;
        JsonNode node = delivery.get(key);
        if (node == null) {
            doc.report(at, readable(at) + ": transport '" + name + "' needs its settings in "
                    + readable(blockAt));
            return null;
        }
        if (!valid || !node.isObject() || doc.flagged(blockAt)) {
            return null;
        }
        return switch (name) {
            case TransportSettings.FRANCE_TRAVAIL_API -> franceTravailApi(node, blockAt);
            case TransportSettings.IMILO_API -> imiloApi(node, blockAt);
            case TransportSettings.DEPARTEMENT_FILE -> departementFile(node, blockAt);
            default -> null;
        };
    }

    /** A France Travail API block (of a delivery or of a partner's pull), or null when invalid. */
    TransportSettings franceTravailApi(JsonNode node, String at) {
        URI apiUrl = doc.url(node, at, "apiUrl");
        URI authUrl = doc.url(node, at, "authUrl");
        String clientId = text(node, "clientId");
        String secret = text(node, "clientSecret");
        String scope = text(node, "scope");
        JsonNode agent = node.path("agent");
        if (apiUrl == null || authUrl == null || clientId == null || secret == null || scope == null
                || doc.anyFlagged(at, "clientId", "clientSecret", "scope", "agent", "agent/identifiant",
                "agent/nom", "agent/prenom")) {
            return null;
        }
        return new TransportSettings.FranceTravailApi(apiUrl, authUrl, clientId, secret, scope,
                text(agent, "identifiant"), text(agent, "nom"), text(agent, "prenom"));
    }

    private TransportSettings imiloApi(JsonNode node, String at) {
        URI url = doc.url(node, at, "url");
        String apiKey = text(node, "apiKey");
        ZoneId timeZone = null;
        String zone = text(node, "timeZone");
        if (zone != null && !doc.flagged(at + "/timeZone")) {
            try {
                timeZone = ZoneId.of(zone);
            } catch (DateTimeException e) {
                doc.report(at + "/timeZone", readable(at + "/timeZone") + ": '" + zone + "' is not a time zone"
                        + " (an IANA name such as Europe/Paris, Indian/Reunion, America/Martinique)");
                return null;
            }
        }
        if (url == null || apiKey == null || doc.anyFlagged(at, "apiKey", "recordTypes", "timeZone")) {
            return null;
        }
        Set<String> types = new LinkedHashSet<>();
        node.path("recordTypes").forEach(t -> types.add(t.asString()));
        return new TransportSettings.ImiloApi(url, apiKey, types, timeZone);
    }

    private TransportSettings departementFile(JsonNode node, String at) {
        String outbox = text(node, "outbox");
        String fileName = text(node, "fileName");
        boolean valid = outbox != null && !doc.anyFlagged(at, "outbox", "fileName", "mapping");
        if (fileName != null && !doc.flagged(at + "/fileName")) {
            String problem = fileNameProblem(fileName);
            if (problem != null) {
                doc.report(at + "/fileName", readable(at + "/fileName") + ": " + problem);
                valid = false;
            }
        }
        String mappingName = null;
        Map<String, Object> inline = null;
        JsonNode mapping = node.get("mapping");
        if (mapping != null && !doc.flagged(at + "/mapping")) {
            try {
                ConfiguredFileMapping configured = ConfiguredFileMapping.read(mapping);
                mappingName = configured.name();
                inline = configured.inline();
                FileMapping m = configured.mapping();
                if (m.kind() != FileMapping.Kind.CSV) {
                    doc.report(at + "/mapping", readable(at + "/mapping") + ": mapping '" + m.name()
                            + "' is not a CSV mapping (the outbox takes CSV files)");
                    valid = false;
                }
            } catch (RuntimeException e) {
                doc.report(at + "/mapping", readable(at + "/mapping") + ": " + e.getMessage());
                valid = false;
            }
        }
        return valid ? new TransportSettings.DepartementFile(outbox, mappingName, inline, fileName) : null;
    }

    /** Why a departement-file name template is unusable, or null. */
    static String fileNameProblem(String template) {
        Matcher m = FILE_NAME_VARIABLE.matcher(template);
        StringBuilder sample = new StringBuilder();
        boolean unique = false;
        while (m.find()) {
            String variable = m.group(1);
            if (!TransportSettings.DepartementFile.FILE_NAME_VARIABLES.contains(variable)) {
                return "unknown variable {" + variable + "} (known: " + String.join(", ",
                        sorted(TransportSettings.DepartementFile.FILE_NAME_VARIABLES).stream()
                                .map(v -> "{" + v + "}").toList()) + ")";
            }
            unique |= variable.equals("key") || variable.equals("exchangeId");
            m.appendReplacement(sample, "x");
        }
        m.appendTail(sample);
        if (!unique) {
            return "must contain {key} or {exchangeId}, so that each record has its own file and a redelivery"
                    + " finds the file it already wrote";
        }
        if (!SAFE_FILE_NAME.matcher(sample).matches() || sample.indexOf("..") >= 0) {
            return "'" + template + "' is not a plain file name (letters, digits, '.', '_', '-' and variables;"
                    + " no folder)";
        }
        return null;
    }
}

package fr.spie.gateway.config;

import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static fr.spie.gateway.config.GatewayConfigLoader.readable;
import static fr.spie.gateway.config.GatewayConfigLoader.text;

/**
 * A configuration file after its placeholders and JSON Schema were checked: reports the further problems the readers
 * find (none at a pointer that already has one, so that a value is not reported twice) and reads the values the schema
 * cannot check (URLs, durations).
 */
final class CheckedDocument {
    private final YamlDocument doc;
    private final Set<String> flagged;
    private final List<ConfigProblem> problems;

    /**
     * @param flagged  the pointers that already have a problem (unresolved placeholder or schema violation)
     * @param problems the problems of the load, where new ones are added
     */
    CheckedDocument(YamlDocument doc, Set<String> flagged, List<ConfigProblem> problems) {
        this.doc = doc;
        this.flagged = Set.copyOf(flagged);
        this.problems = problems;
    }

    YamlDocument yaml() {
        return doc;
    }

    String file() {
        return doc.file();
    }

    JsonNode root() {
        return doc.root();
    }

    YamlDocument.Position valueAt(String pointer) {
        return doc.valueAt(pointer);
    }

    /** Whether the value at this pointer already has a problem: no second, derived problem is reported there. */
    boolean flagged(String pointer) {
        return flagged.contains(pointer);
    }

    boolean anyFlagged(String at, String... keys) {
        for (String key : keys) {
            if (flagged(at + "/" + key)) {
                return true;
            }
        }
        return false;
    }

    void report(String pointer, String message) {
        if (!flagged(pointer)) {
            problems.add(doc.problemAt(pointer, message));
        }
    }

    /** An http(s) URL with a host, or null (reported). */
    URI url(JsonNode parent, String at, String key) {
        String pointer = at + "/" + key;
        String urlText = text(parent, key);
        if (urlText == null || flagged(pointer)) {
            return null;
        }
        try {
            URI url = new URI(urlText);
            if (url.getHost() == null) {
                report(pointer, readable(pointer) + ": '" + urlText + "' has no host");
                return null;
            }
            return url;
        } catch (URISyntaxException e) {
            report(pointer, readable(pointer) + ": '" + urlText + "' is not a valid URL: " + e.getReason());
            return null;
        }
    }

    /** The duration at {@code key}, {@code fallback} when absent, null when invalid (reported). */
    Duration duration(JsonNode parent, String at, String key, Duration fallback) {
        JsonNode node = parent.get(key);
        if (node == null) {
            return fallback;
        }
        String pointer = YamlDocument.child(at, key);
        if (!node.isString() || flagged(pointer)) {
            return null;
        }
        try {
            return Durations.parse(node.asString());
        } catch (IllegalArgumentException e) {
            report(pointer, readable(pointer) + ": " + e.getMessage());
            return null;
        }
    }
}

package fr.spie.connector.missionlocale;

import static fr.spie.connector.missionlocale.DossierFields.text;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code contact} of an i-milo dossier's person: mail → email, adresse{numero, libelleVoie, complement, codePostal,
 * commune} → address{line, postalCode, communeName}. An invalid e-mail or postal code is dropped (counted).
 */
final class ContactMapper {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String EMAIL = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

    private final ReadCounters counts;

    ContactMapper(ReadCounters counts) {
        this.counts = counts;
    }

    /** The dossier's contact, or null when it has none. */
    ObjectNode contact(ObjectNode d) {
        ObjectNode contact = NODES.objectNode();
        String mail = text(d, "mail");
        if (mail != null) {
            if (mail.matches(EMAIL) && mail.length() <= 254) {
                contact.put("email", mail);
            } else {
                counts.dropped++;
            }
        }
        ObjectNode address = address(d.get("adresse"));
        if (address != null) {
            contact.set("address", address);
        }
        return contact.isEmpty() ? null : contact;
    }

    private ObjectNode address(JsonNode a) {
        if (a == null || !a.isObject()) {
            return null;
        }
        ObjectNode out = NODES.objectNode();
        String street = String.join(" ", nonNull(text(a, "numero"), text(a, "libelleVoie")));
        String line = String.join(", ", nonNull(street.isEmpty() ? null : street, text(a, "complement")));
        if (!line.isEmpty() && line.length() <= 300) {
            out.put("line", line);
        }
        String cp = text(a, "codePostal");
        if (cp != null) {
            if (cp.matches("^[0-9]{5}$")) {
                out.put("postalCode", cp);
            } else {
                counts.dropped++;
            }
        }
        String commune = text(a, "commune");
        if (commune != null && commune.length() <= 100) {
            out.put("communeName", commune);
        }
        return out.isEmpty() ? null : out;
    }

    private static List<String> nonNull(String... values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }
}

package fr.spie.connector.missionlocale;

import static fr.spie.connector.missionlocale.DossierFields.date;
import static fr.spie.connector.missionlocale.DossierFields.text;

import fr.spie.connector.SpieRecord;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The SPIE {@code person} of an i-milo dossier: nomNaissance, nomUsage, prenom, dateNaissance, the contact
 * ({@link ContactMapper}) and the identifiers imilo-dossier-id = idDossier, imilo-jeune-id = idJeune,
 * france-travail-id = numeroDE (an invalid numeroDE is dropped, counted). Its subject is the identity pivot and the
 * identifiers; its change key {@code milo:<idDossier>}.
 */
final class PersonMapper {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The person's fields that make its subject, in this order. */
    private static final List<String> SUBJECT_FIELDS = List.of("birthName", "usageName", "givenNames", "birthDate", "identifiers");

    private final ReadCounters counts;
    private final ContactMapper contacts;

    PersonMapper(ReadCounters counts) {
        this.counts = counts;
        this.contacts = new ContactMapper(counts);
    }

    /**
     * The dossier's person record, or null when the dossier has no usable idDossier, names or birth date: the reasons
     * are then added to {@code errors}, in field order.
     */
    SpieRecord person(ObjectNode d, String location, List<String> errors) {
        String idDossier = required(d, "idDossier", 64, errors);
        ObjectNode person = NODES.objectNode();
        String birthName = required(d, "nomNaissance", 100, errors);
        if (birthName != null) {
            person.put("birthName", birthName);
        }
        String usageName = text(d, "nomUsage");
        if (usageName != null && usageName.length() <= 100) {
            person.put("usageName", usageName);
        }
        String prenom = required(d, "prenom", 100, errors);
        if (prenom != null) {
            person.putArray("givenNames").add(prenom);
        }
        String birth = text(d, "dateNaissance");
        LocalDate birthDate = date(birth);
        if (birth == null) {
            errors.add("dateNaissance is missing");
        } else if (birthDate == null) {
            errors.add("dateNaissance is not a date (yyyy-MM-dd)");
        } else {
            person.put("birthDate", birthDate.toString());
        }
        if (!errors.isEmpty()) {
            return null;
        }
        ObjectNode contact = contacts.contact(d);
        if (contact != null) {
            person.set("contact", contact);
        }
        identifiers(d, idDossier, person.putArray("identifiers"));
        ObjectNode subject = NODES.objectNode();
        for (String key : SUBJECT_FIELDS) {
            if (person.has(key)) {
                subject.set(key, person.get(key).deepCopy());
            }
        }
        return new SpieRecord("person", subject, person, location, "milo:" + idDossier);
    }

    /** The field's text, or null with an error when it is missing or longer than {@code maxLength}. */
    private static String required(ObjectNode d, String field, int maxLength, List<String> errors) {
        String value = text(d, field);
        if (value == null) {
            errors.add(field + " is missing");
        } else if (value.length() > maxLength) {
            errors.add(field + " is longer than " + maxLength + " characters");
            return null;
        }
        return value;
    }

    private void identifiers(ObjectNode d, String idDossier, ArrayNode ids) {
        ids.addObject().put("scheme", "imilo-dossier-id").put("value", idDossier);
        String idJeune = text(d, "idJeune");
        if (idJeune != null && idJeune.length() <= 64) {
            ids.addObject().put("scheme", "imilo-jeune-id").put("value", idJeune);
        }
        String numeroDE = text(d, "numeroDE");
        if (numeroDE != null) {
            String ft = numeroDE.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
            if (ft.matches("^[0-9A-Z]{1,64}$")) {
                ids.addObject().put("scheme", "france-travail-id").put("value", ft);
            } else {
                counts.dropped++;
            }
        }
    }
}

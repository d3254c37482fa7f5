package fr.spie.connector.francetravail;

import fr.spie.connector.SpieRecord;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps the identity columns of an extract line to the {@code person} record: identifiant_unique_de, nom, prenom,
 * date_naissance, civilite, code_lieu_naissance and the address lines. Its subject and change key ({@code ft:<id>}) are
 * those of every record of the line. Immutable.
 */
final class ExtractPersonMapper {

    private static final Pattern FT_ID = Pattern.compile("^[0-9A-Za-z][0-9A-Za-z-]{0,63}$");
    private static final Pattern POSTCODE_TOWN = Pattern.compile("^([0-9]{5})\\s+(.+?)(?:\\s+CEDEX(?:\\s+[0-9]{1,3})?)?$");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String partnerId;

    /** @param partnerId issuer of the france-travail-id, or null */
    ExtractPersonMapper(String partnerId) {
        this.partnerId = partnerId;
    }

    SpieRecord map(ExtractRow row, String location) throws LineRejected {
        String ftId = row.req(ExtractHeader.ID);
        if (!FT_ID.matcher(ftId).matches()) {
            throw new LineRejected("column " + ExtractHeader.ID + ": not a France Travail identifier (letters, digits, '-', max 64)");
        }
        String birthName = row.name("nom", true);
        String givenName = row.name("prenom", true);
        LocalDate birthDate = row.date("date_naissance", true);
        String sex = row.code("civilite", FtCodes.CIVILITE, "MME or M.");
        ObjectNode birthPlace = birthPlace(row);

        ObjectNode identifier = NODES.objectNode();
        identifier.put("scheme", "france-travail-id");
        identifier.put("value", ftId);
        if (partnerId != null) {
            identifier.put("issuer", partnerId);
        }

        ObjectNode subject = NODES.objectNode();
        putIdentity(subject, birthName, givenName, birthDate, sex, birthPlace == null ? null : birthPlace.deepCopy());
        subject.putArray("identifiers").add(identifier.deepCopy());

        ObjectNode person = NODES.objectNode();
        putIdentity(person, birthName, givenName, birthDate, sex, birthPlace);
        ObjectNode address = address(row);
        if (address != null) {
            person.putObject("contact").set("address", address);
        }
        person.putArray("identifiers").add(identifier);
        return new SpieRecord("person", subject, person, location, "ft:" + ftId);
    }

    /** The fields the subject and the person payload share, in this order. */
    private static void putIdentity(ObjectNode node, String birthName, String givenName, LocalDate birthDate, String sex,
                                    ObjectNode birthPlace) {
        node.put("birthName", birthName);
        node.putArray("givenNames").add(givenName);
        node.put("birthDate", birthDate.toString());
        if (sex != null) {
            node.put("sex", sex);
        }
        if (birthPlace != null) {
            node.set("birthPlace", birthPlace);
        }
    }

    private static ObjectNode birthPlace(ExtractRow row) throws LineRejected {
        String birthCode = row.opt("code_lieu_naissance");
        if (birthCode == null) {
            return null;
        }
        String c = birthCode.toUpperCase(Locale.ROOT);
        ObjectNode birthPlace = NODES.objectNode();
        if (FtCodes.COUNTRY.matcher(c).matches()) {
            birthPlace.put("countryCode", c);
        } else if (FtCodes.COMMUNE.matcher(c).matches()) {
            birthPlace.put("communeCode", c);
        } else {
            throw new LineRejected("column code_lieu_naissance: unknown code (expected an INSEE commune or 99xxx country code)");
        }
        return birthPlace;
    }

    /** adresse_ligne2..5 → line (joined with ", "); adresse_ligne6 "08300 RETHEL" → postalCode + communeName. */
    private static ObjectNode address(ExtractRow row) {
        List<String> parts = new ArrayList<>();
        for (String col : List.of("adresse_ligne2", "adresse_ligne3", "adresse_ligne4", "adresse_ligne5")) {
            String v = row.opt(col);
            if (v != null) {
                parts.add(ExtractRow.collapseSpaces(v));
            }
        }
        ObjectNode address = NODES.objectNode();
        String l6 = row.opt("adresse_ligne6");
        if (l6 != null) {
            Matcher m = POSTCODE_TOWN.matcher(ExtractRow.collapseSpaces(l6));
            if (m.matches() && m.group(2).length() <= 100) {
                address.put("postalCode", m.group(1));
                address.put("communeName", m.group(2));
            } else {
                parts.add(ExtractRow.collapseSpaces(l6));
            }
        }
        if (!parts.isEmpty()) {
            String line = String.join(", ", parts);
            address.put("line", line.length() > 300 ? line.substring(0, 300) : line);
        }
        if (address.isEmpty()) {
            return null;
        }
        // keep a stable field order: line, postalCode, communeName
        ObjectNode ordered = NODES.objectNode();
        for (String f : List.of("line", "postalCode", "communeName")) {
            if (address.has(f)) {
                ordered.set(f, address.get(f));
            }
        }
        return ordered;
    }
}

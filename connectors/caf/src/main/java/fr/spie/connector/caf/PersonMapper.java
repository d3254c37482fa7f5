package fr.spie.connector.caf;

import static fr.spie.connector.caf.VrsbFields.bool;
import static fr.spie.connector.caf.VrsbFields.date;
import static fr.spie.connector.caf.VrsbFields.name;
import static fr.spie.connector.caf.VrsbFields.quoted;
import static fr.spie.connector.caf.VrsbFields.rsaRole;

import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.identity.Names;
import fr.spie.connector.identity.Nir;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps one Personne of a {@link Household} to its {@code person} record then its {@code rsa-situation} record (same
 * subject, location and change key), or rejects the person: identity (names, birth date, sex, NIR with key check;
 * a NIR whose civil status is not certified, TOPVALIEC=0, is in the person record with {@code nirCertified: false}
 * and not in the subject, so the person is matched by matricule, given name and birth date, never on it),
 * identifiers (matricule, France Travail id), role and rights-and-duties. One instance per read (not thread-safe).
 */
final class PersonMapper {

    private static final Pattern FT_ID = Pattern.compile("^[0-9A-Z]{1,11}$");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final RecordSink sink;
    private final MessageDigest sha256;
    private long records;
    private long nirOmitted;
    private long nirUncertified;

    PersonMapper(RecordSink sink) {
        this.sink = sink;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records emitted so far. */
    long records() {
        return records;
    }

    /** Persons so far whose NIR the flux says is not certified (TOPVALIEC=0): left out of their subject. */
    long nirUncertified() {
        return nirUncertified;
    }

    /** NIRs left out so far because they parse but are not personal NIRs of the SPIE schema (e.g. NIA). */
    long nirOmitted() {
        return nirOmitted;
    }

    void map(XmlNode p, Household h, String loc) throws Reject {
        XmlNode id = p.child("Identification");
        if (id == null) {
            throw new Reject("Personne lacks Identification");
        }
        String birthName = name(id.text("NOMNAI"), "Identification/NOMNAI (birth name)", true);
        String usageName = name(id.text("NOM"), "Identification/NOM (usage name)", false);
        String given1 = name(id.text("PRENOM"), "Identification/PRENOM (given name)", true);
        String given2 = name(id.text("PRENOM2"), "Identification/PRENOM2", false);
        String given3 = name(id.text("PRENOM3"), "Identification/PRENOM3", false);
        String dtnai = id.text("DTNAI");
        if (dtnai == null) {
            throw new Reject("Identification/DTNAI (birth date) is missing");
        }
        String birthDate = date(dtnai, "Identification/DTNAI (birth date)");
        String sexe = id.text("SEXE");
        String sex = "1".equals(sexe) ? "M" : "2".equals(sexe) ? "F" : null;
        Nir nir = nir(id.text("NIR"));
        // TOPVALIEC: whether the civil status (and so the NIR) is certified by the national register (SNGI). An
        // uncertified NIR may be someone else's: carried in the person record, flagged, never a matching key
        boolean uncertified = nir != null && !certified(id.text("TOPVALIEC"));
        String roleCode = rsaRole(p);
        if (roleCode != null && !VrsbCodes.ROLES.containsKey(roleCode)) {
            throw new Reject("Prestations/ROLEPERS is " + quoted(roleCode) + ", not DEM, CJT, ENF or AUT");
        }
        Boolean rightsAndDuties = bool(p.text("MontantCalculDroitRSAPersonne", "TOPPERSDRODEVORSA"),
                "MontantCalculDroitRSAPersonne/TOPPERSDRODEVORSA");

        ArrayNode identifiers = identifiers(p, h);
        ArrayNode givenNames = JSON.arrayNode();
        givenNames.add(given1);
        if (given2 != null) {
            givenNames.add(given2);
        }
        if (given3 != null) {
            givenNames.add(given3);
        }
        ObjectNode subject = identity(uncertified ? null : nir, birthName, usageName, givenNames, birthDate, sex);
        subject.set("identifiers", identifiers);

        ObjectNode person = identity(nir, birthName, usageName, givenNames.deepCopy(), birthDate, sex);
        if (uncertified) {
            person.put("nirCertified", false);
            nirUncertified++;
        }
        if (h.address() != null) {
            person.putObject("contact").set("address", h.address().deepCopy());
        }
        person.set("identifiers", identifiers.deepCopy());

        ObjectNode situation = situation(h, roleCode, rightsAndDuties);
        String changeKey = "cnaf:" + h.fonorg() + ":" + h.numorg() + ":" + h.matricule().normalised() + ":"
                + (roleCode == null ? "-" : roleCode) + ":"
                + (nir != null ? "nir-" + digest(nir.first13())
                : "id-" + digest(Names.key(birthName) + "|" + Names.key(given1) + "|" + birthDate));
        sink.accept(new SpieRecord("person", subject, person, loc, changeKey));
        sink.accept(new SpieRecord("rsa-situation", subject.deepCopy(), situation, loc, changeKey));
        records += 2;
    }

    /**
     * Whether TOPVALIEC lets the NIR be used to match the person: 1 or true, or absent or empty (not stated: as
     * before the flag was read). 0 or false, and any value outside xsd:boolean (a certification is never guessed),
     * do not.
     */
    private static boolean certified(String topvaliec) {
        return topvaliec == null || topvaliec.isBlank() || "1".equals(topvaliec) || "true".equals(topvaliec);
    }

    /** The NIR, or null when absent or not carried by the SPIE schema; rejects a malformed NIR or a wrong key. */
    private Nir nir(String nirText) throws Reject {
        if (nirText == null) {
            return null;
        }
        Nir nir;
        try {
            nir = Nir.parse(nirText);
        } catch (IllegalArgumentException e) {
            throw new Reject("Identification/NIR is malformed: " + e.getMessage());
        }
        if (nir.hasKey() && !nir.hasValidKey()) {
            throw new Reject("Identification/NIR has 15 characters but a wrong key (97 - n mod 97): "
                    + "not mapped, so that a mistyped NIR is never matched to someone else");
        }
        if (!nir.conformsToSpieSchema()) {
            nirOmitted++;
            return null; // e.g. a temporary NIA (sex digit 7/8): not carried by the SPIE schema
        }
        return nir;
    }

    /** The matricule (normalised form, then the flux form when different), then the France Travail id. */
    private static ArrayNode identifiers(XmlNode p, Household h) {
        ArrayNode identifiers = JSON.arrayNode();
        String scheme = h.fonorg().equals("CAF") ? "caf-matricule" : "msa-matricule";
        String issuer = h.fonorg() + " " + h.numorg();
        addIdentifier(identifiers, scheme, h.matricule().normalised(), issuer);
        if (!h.matricule().normalised().equals(h.matricule().fluxForm())) {
            addIdentifier(identifiers, scheme, h.matricule().fluxForm(), issuer);
        }
        String ft = p.text("DossierPoleEmploi", "IDASSEDIC");
        if (ft != null) {
            ft = ft.toUpperCase(Locale.ROOT);
            if (FT_ID.matcher(ft).matches()) {
                addIdentifier(identifiers, "france-travail-id", ft, null);
            }
        }
        return identifiers;
    }

    private static void addIdentifier(ArrayNode ids, String scheme, String value, String issuer) {
        ObjectNode o = ids.addObject();
        o.put("scheme", scheme);
        o.put("value", value);
        if (issuer != null) {
            o.put("issuer", issuer);
        }
    }

    /** The identity fields shared by the subject and the person payload, in schema order. */
    private static ObjectNode identity(Nir nir, String birthName, String usageName, ArrayNode givenNames,
                                       String birthDate, String sex) {
        ObjectNode o = JSON.objectNode();
        if (nir != null) {
            o.put("nir", nir.value());
        }
        o.put("birthName", birthName);
        if (usageName != null) {
            o.put("usageName", usageName);
        }
        o.set("givenNames", givenNames);
        o.put("birthDate", birthDate);
        if (sex != null) {
            o.put("sex", sex);
        }
        return o;
    }

    /** The household's situation with this person's role, role code and rights-and-duties at the placeholder. */
    private static ObjectNode situation(Household h, String roleCode, Boolean rightsAndDuties) {
        ObjectNode situation = JSON.objectNode();
        for (Map.Entry<String, JsonNode> e : h.situation().properties()) {
            String k = e.getKey();
            if (k.equals("rightsAndDuties")) {
                if (roleCode != null) {
                    situation.put("role", VrsbCodes.ROLES.get(roleCode));
                    situation.put("roleCode", roleCode);
                }
                if (rightsAndDuties != null) {
                    situation.put("rightsAndDuties", rightsAndDuties);
                }
            } else {
                situation.set(k, e.getValue().deepCopy());
            }
        }
        return situation;
    }

    /** Pseudonymous person part of the change key: 16 hex characters of SHA-256, never the NIR in clear. */
    private String digest(String s) {
        byte[] d = sha256.digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 8; i++) {
            sb.append(Character.forDigit((d[i] >> 4) & 0xF, 16)).append(Character.forDigit(d[i] & 0xF, 16));
        }
        return sb.toString();
    }
}

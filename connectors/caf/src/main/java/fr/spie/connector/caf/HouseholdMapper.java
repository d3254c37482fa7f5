package fr.spie.connector.caf;

import static fr.spie.connector.caf.VrsbFields.bool;
import static fr.spie.connector.caf.VrsbFields.date;
import static fr.spie.connector.caf.VrsbFields.quoted;
import static fr.spie.connector.caf.VrsbFields.rsaRole;

import fr.spie.connector.identity.Matricule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps one InfosFoyerRSA to its {@link Household}: fund and dossier number, rights state, suspensions, closure,
 * homelessness, household composition and commune-level address; rejects the household when a required part is
 * missing or invalid. Remembers the organisation(s) of the flux (one instance per read).
 */
final class HouseholdMapper {

    private static final Pattern NUMORG = Pattern.compile("^[0-9A-Za-z]{1,3}$");
    private static final Pattern REQUEST_NUMBER = Pattern.compile("^[0-9A-Z]{1,11}$");
    private static final Pattern REASON_CODE = Pattern.compile("^[0-9A-Z]{2}$");
    private static final Pattern FAMILY_SITUATION = Pattern.compile("^[A-Z]{3}$");
    private static final Pattern COMMUNE_CODE = Pattern.compile("^(2[AB]|[0-9]{2})[0-9]{3}$");
    private static final Pattern POSTAL_CODE = Pattern.compile("^[0-9]{5}$");
    /** RGADR is an xsd:integer: 01, 1, +1 and 001 are all rank 1. */
    private static final Pattern RANK_ONE = Pattern.compile("^\\+?0*1$");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Path of SituationDossierRSA from InfosFoyerRSA, for rejection reasons. */
    private static final String SITUATION = "PrestationRSA/SituationDossierRSA";

    private String organisation;

    /** "CAF 511" (FONORG NUMORG) of the households mapped so far, "several" if mixed, null before the first. */
    String organisation() {
        return organisation;
    }

    /** {@code referenceDate}: IdentificationFlux/DTREF, or null. */
    Household map(XmlNode foyer, String referenceDate) throws Reject {
        XmlNode idRsa = foyer.child("IdentificationRSA");
        XmlNode admin = foyer.child("DonneesAdministratives");
        XmlNode prest = foyer.child("PrestationRSA");
        List<XmlNode> persons = foyer.all("Personne");
        requireBlocks(idRsa, persons, admin, prest);
        String fonorg = idRsa.text("Organisme", "FONORG");
        if (!"CAF".equals(fonorg) && !"MSA".equals(fonorg)) {
            throw new Reject("IdentificationRSA/Organisme/FONORG must be CAF or MSA"
                    + (fonorg == null ? " (missing)" : ", got " + quoted(fonorg)));
        }
        String numorg = idRsa.text("Organisme", "NUMORG");
        if (numorg == null || !NUMORG.matcher(numorg).matches()) {
            throw new Reject("IdentificationRSA/Organisme/NUMORG is missing or not a 3-character organisation number");
        }
        Matricule matricule = matricule(idRsa.text("Organisme", "MATRICULE"));
        noteOrganisation(fonorg + " " + numorg);

        XmlNode sit = prest.child("SituationDossierRSA");
        String state = sit == null ? null : sit.text("EtatDossierRSA", "ETATDOSRSA");
        if (state == null || !VrsbCodes.RIGHT_STATES.containsKey(state)) {
            throw new Reject("PrestationRSA/SituationDossierRSA/EtatDossierRSA/ETATDOSRSA is "
                    + (state == null ? "missing" : quoted(state) + ", not a code 0..6"));
        }
        ObjectNode s = JSON.objectNode();
        ObjectNode fund = s.putObject("fund");
        fund.put("kind", fonorg.equals("CAF") ? "caf" : "msa");
        fund.put("code", numorg);
        String numdem = idRsa.text("DemandeRSA", "NUMDEMRSA");
        if (numdem != null && REQUEST_NUMBER.matcher(numdem).matches()) {
            s.put("requestNumber", numdem);
        }
        String dtdem = idRsa.text("DemandeRSA", "DTDEMRSA");
        if (dtdem != null) {
            s.put("requestDate", date(dtdem, "IdentificationRSA/DemandeRSA/DTDEMRSA"));
        }
        if (referenceDate != null) {
            s.put("referenceDate", referenceDate);
        }
        s.put("rightState", VrsbCodes.RIGHT_STATES.get(state));
        s.put("rightStateCode", state);
        // role, roleCode and rightsAndDuties are per person: added by PersonMapper, order fixed there

        ArrayNode suspensions = suspensions(sit);
        ObjectNode closure = closure(sit);
        s.put("rightsAndDuties", false); // placeholder keeps field order; replaced or removed per person
        if (!suspensions.isEmpty()) {
            s.set("suspensions", suspensions);
        }
        if (closure != null) {
            s.set("closure", closure);
        }
        XmlNode tronc = prest.at("DetailDroitRSA", "TroncCommunDroitRSA");
        Boolean homeless = tronc == null ? null : bool(tronc.text("TOPSANSDOMFIXE"),
                "PrestationRSA/DetailDroitRSA/TroncCommunDroitRSA/TOPSANSDOMFIXE");
        if (homeless != null) {
            s.put("homeless", homeless);
        }
        ObjectNode household = composition(admin, tronc, persons);
        if (!household.isEmpty()) {
            s.set("household", household);
        }
        return new Household(fonorg, numorg, matricule, s, address(admin));
    }

    private static void requireBlocks(XmlNode idRsa, List<XmlNode> persons, XmlNode admin, XmlNode prest)
            throws Reject {
        List<String> missing = new ArrayList<>(4);
        if (idRsa == null) {
            missing.add("IdentificationRSA");
        }
        if (persons.isEmpty()) {
            missing.add("Personne");
        }
        if (admin == null) {
            missing.add("DonneesAdministratives");
        }
        if (prest == null) {
            missing.add("PrestationRSA");
        }
        if (!missing.isEmpty()) {
            throw new Reject("InfosFoyerRSA lacks required element(s) " + String.join(", ", missing)
                    + " (VRSB0801 requires IdentificationRSA, Personne 1..n, DonneesAdministratives, PrestationRSA)");
        }
    }

    private static Matricule matricule(String mat) throws Reject {
        if (mat == null) {
            throw new Reject("IdentificationRSA/Organisme/MATRICULE is missing");
        }
        try {
            return Matricule.parse(mat);
        } catch (IllegalArgumentException e) {
            throw new Reject("IdentificationRSA/Organisme/MATRICULE is invalid: " + e.getMessage());
        }
    }

    /** Counted as soon as the organisation is known, even if the household is rejected further on. */
    private void noteOrganisation(String org) {
        if (organisation == null) {
            organisation = org;
        } else if (!organisation.equals(org) && !organisation.equals("several")) {
            organisation = "several";
        }
    }

    /**
     * Each SuspensionDroit (scope right) then each SuspensionVersement (scope payment); a rejection names the block
     * with its rank among its like ({@code SuspensionVersement[2]}), since a dossier may carry several.
     */
    private static ArrayNode suspensions(XmlNode sit) throws Reject {
        ArrayNode suspensions = JSON.arrayNode();
        int i = 0;
        for (XmlNode sd : sit.all("SuspensionDroit")) {
            String block = SITUATION + "/SuspensionDroit[" + ++i + "]";
            String code = sd.text("MOTISUSDRORSA");
            if (code == null || !REASON_CODE.matcher(code).matches()) {
                throw new Reject(block + "/MOTISUSDRORSA is " + (code == null ? "missing"
                        : quoted(code) + ", not a 2-character code"));
            }
            addSuspension(suspensions, "right", code, sd.text("DDSUSDRORSA"), block + "/DDSUSDRORSA");
        }
        i = 0;
        for (XmlNode sv : sit.all("SuspensionVersement")) {
            String block = SITUATION + "/SuspensionVersement[" + ++i + "]";
            String code = sv.text("MOTISUSVERSRSA");
            if (code == null || !VrsbCodes.PAYMENT_SUSPENSION_REASONS.contains(code)) {
                throw new Reject(block + "/MOTISUSVERSRSA is " + (code == null ? "missing"
                        : quoted(code) + ", not in the SPIE list of payment suspension reasons"));
            }
            addSuspension(suspensions, "payment", code, sv.text("DDSUSVERSRSA"), block + "/DDSUSVERSRSA");
        }
        return suspensions;
    }

    private static void addSuspension(ArrayNode suspensions, String scope, String code, String since, String sinceWhat)
            throws Reject {
        ObjectNode o = suspensions.addObject();
        o.put("scope", scope);
        o.put("reasonCode", code);
        if (since != null) {
            o.put("since", date(since, sinceWhat));
        }
    }

    /** FinDroit, else FinDroitMoisAnterieur; null when neither is there. */
    private static ObjectNode closure(XmlNode sit) throws Reject {
        XmlNode fin = sit.child("FinDroit");
        String finName = SITUATION + "/FinDroit";
        if (fin == null) {
            fin = sit.child("FinDroitMoisAnterieur");
            finName = SITUATION + "/FinDroitMoisAnterieur";
        }
        if (fin == null) {
            return null;
        }
        String code = fin.text("MOTICLORSA");
        if (code == null || !VrsbCodes.CLOSURE_REASONS.contains(code)) {
            throw new Reject(finName + "/MOTICLORSA is " + (code == null ? "missing"
                    : quoted(code) + ", not in the SPIE list of closure reasons"));
        }
        ObjectNode closure = JSON.objectNode();
        closure.put("reasonCode", code);
        String d = fin.text("DTCLORSA");
        if (d != null) {
            closure.put("date", date(d, finName + "/DTCLORSA"));
        }
        return closure;
    }

    /** familySituationCode, adults (DEM/CJT) and children (NBENFAUTCHA, else ENF) when within the schema's range. */
    private static ObjectNode composition(XmlNode admin, XmlNode tronc, List<XmlNode> persons) throws Reject {
        ObjectNode household = JSON.objectNode();
        String sitfam = admin.text("SituationFamille", "SITFAM");
        if (sitfam != null && FAMILY_SITUATION.matcher(sitfam).matches()) {
            household.put("familySituationCode", sitfam);
        }
        int adults = 0;
        int children = 0;
        for (XmlNode p : persons) {
            String role = rsaRole(p);
            if ("DEM".equals(role) || "CJT".equals(role)) {
                adults++;
            } else if ("ENF".equals(role)) {
                children++;
            }
        }
        if (adults >= 1 && adults <= 20) {
            household.put("adults", adults);
        }
        String nbenf = tronc == null ? null : tronc.text("NBENFAUTCHA");
        Integer declaredChildren = null;
        if (nbenf != null) {
            try {
                declaredChildren = Integer.parseInt(nbenf);
            } catch (NumberFormatException e) {
                throw new Reject("TroncCommunDroitRSA/NBENFAUTCHA is not a number");
            }
        }
        int nChildren = declaredChildren != null ? declaredChildren : children;
        if (nChildren >= 0 && nChildren <= 30) {
            household.put("children", nChildren);
        }
        return household;
    }

    /**
     * The current address (see {@link #currentAddress}) at commune level only (postal code, commune code and name,
     * country), never the street; null when empty.
     */
    private static ObjectNode address(XmlNode admin) {
        XmlNode current = currentAddress(admin);
        XmlNode fr = current == null ? null : current.child("AdresseDetailleeFrance");
        if (fr == null) {
            return null;
        }
        ObjectNode a = JSON.objectNode();
        String cp = fr.text("CODEPOS");
        if (cp != null && cp.length() < 5 && cp.chars().allMatch(Character::isDigit)) {
            cp = "0".repeat(5 - cp.length()) + cp; // xsd:integer drops leading zeros (01000 → 1000)
        }
        if (cp != null && POSTAL_CODE.matcher(cp).matches()) {
            a.put("postalCode", cp);
        }
        String com = fr.text("NUMCOM");
        if (com != null) {
            com = com.toUpperCase(Locale.ROOT);
            if (COMMUNE_CODE.matcher(com).matches()) {
                a.put("communeCode", com);
            }
        }
        String name = fr.text("NOMCOM");
        if (name != null && name.length() <= VrsbFields.MAX_NAME) {
            a.put("communeName", name);
        }
        if ("FRA".equals(current.text("TroncCommunAdresse", "PAYS"))) {
            a.put("countryCode", "99100");
        }
        return a.isEmpty() ? null : a;
    }

    /**
     * The Adresse of rank 1 (TroncCommunAdresse/RGADR 01): DonneesAdministratives holds up to 3 Adresse, ranked 01 (the
     * current one), 02 and 03 (the previous ones), in no order the XSD fixes. Without a rank-1 Adresse there is no
     * current address, except in a file that gives no rank at all, where the first Adresse is taken.
     */
    private static XmlNode currentAddress(XmlNode admin) {
        List<XmlNode> addresses = admin.all("Adresse");
        boolean ranked = false;
        for (XmlNode a : addresses) {
            String rank = a.text("TroncCommunAdresse", "RGADR");
            if (rank != null) {
                ranked = true;
                if (RANK_ONE.matcher(rank).matches()) {
                    return a;
                }
            }
        }
        return ranked || addresses.isEmpty() ? null : addresses.get(0);
    }
}

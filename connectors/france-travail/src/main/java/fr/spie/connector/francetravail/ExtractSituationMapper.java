package fr.spie.connector.francetravail;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps the follow-up columns of an extract line to the {@code jobseeker-situation} payload: registration, support
 * modality, follow-up structure, referent (adviser), last PPAE interview, ROME codes, barriers (dif_*) and brsa.
 * One per file read: it counts the referent e-mails it drops (not thread-safe).
 */
final class ExtractSituationMapper {

    /** A dif_* column and the jobseeker-situation barrier it gives. */
    private record Barrier(String column, String code) {
    }

    /** The barriers, in column order. */
    private static final List<Barrier> BARRIERS = List.of(
            new Barrier("dif_financiere", "finance"),
            new Barrier("dif_admin_jur", "admin"),
            new Barrier("dif_sante", "health"),
            new Barrier("dif_logement", "housing"),
            new Barrier("dif_transport", "transport"),
            new Barrier("dif_inser_com", "social-insertion"),
            new Barrier("dif_familiale", "family"));

    private static final Pattern CATEGORY = Pattern.compile("^[1-8]$");
    private static final Pattern REASON = Pattern.compile("^[0-9A-Z]{1,4}$");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String partnerId;
    private long droppedReferentMails;
    private long droppedRomeCodes;

    /** @param partnerId partnerId of the follow-up structure, or null */
    ExtractSituationMapper(String partnerId) {
        this.partnerId = partnerId;
    }

    /** Referent e-mails dropped as invalid so far (lines rejected afterwards for another reason included). */
    long droppedReferentMails() {
        return droppedReferentMails;
    }

    /** rome_1 / rome_2 values dropped as not ROME codes so far (lines rejected afterwards included). */
    long droppedRomeCodes() {
        return droppedRomeCodes;
    }

    ObjectNode map(ExtractRow row) throws LineRejected {
        ObjectNode situation = NODES.objectNode();
        situation.set("registration", registration(row));
        putIfNotNull(situation, "supportModality",
                row.code("modalite_accompagnement", FtCodes.SUPPORT_MODALITY, "GUIDE, RENFORCE, SUIVI or GLOBAL"));
        ObjectNode structure = structure(row);
        if (structure != null) {
            situation.set("structure", structure);
        }
        ObjectNode adviser = adviser(row);
        if (!adviser.isEmpty()) {
            situation.set("adviser", adviser);
        }
        LocalDate ppae = row.date("der_entretien_ppae", false);
        if (ppae != null) {
            situation.put("lastPpaeInterviewDate", ppae.toString());
        }
        Set<String> romes = romeCodes(row);
        if (!romes.isEmpty()) {
            ArrayNode a = situation.putArray("romeCodes");
            romes.forEach(a::add);
        }
        ArrayNode barriers = barriers(row);
        if (barriers != null) {
            situation.set("barriers", barriers);
        }
        Boolean rsa = row.yesNo("brsa");
        if (rsa != null) {
            situation.put("rsaBeneficiary", rsa);
        }
        return situation;
    }

    private static ObjectNode registration(ExtractRow row) throws LineRejected {
        ObjectNode registration = NODES.objectNode();
        registration.put("date", row.date("inscription", true).toString());
        String category = row.req("categorie_inscription");
        if (!CATEGORY.matcher(category).matches()) {
            throw new LineRejected("column categorie_inscription: unknown category \"" + category + "\" (expected 1..8)");
        }
        registration.put("category", category);
        String reasonCode = row.opt("code_motif_inscription");
        if (reasonCode != null) {
            String rc = reasonCode.toUpperCase(Locale.ROOT);
            if (!REASON.matcher(rc).matches()) {
                throw new LineRejected("column code_motif_inscription: not a registration reason code (1-4 letters/digits)");
            }
            registration.put("reasonCode", rc);
        }
        putIfNotNull(registration, "reasonLabel", row.label("motif_inscription"));
        return registration;
    }

    /** code_safir and struct_suivi (else struct_principale); null when the line has none of them. */
    private ObjectNode structure(ExtractRow row) throws LineRejected {
        String safir = row.opt("code_safir");
        String structName = row.label("struct_suivi");
        if (structName == null) {
            structName = row.label("struct_principale");
        }
        if (safir == null && structName == null) {
            return null;
        }
        ObjectNode structure = NODES.objectNode();
        if (partnerId != null) {
            structure.put("partnerId", partnerId);
        }
        structure.put("kind", "france-travail");
        putIfNotNull(structure, "name", structName);
        if (safir != null) {
            if (!FtCodes.ORG_CODE.matcher(safir).matches()) {
                throw new LineRejected("column code_safir: not a SAFIR agency code");
            }
            structure.put("code", safir);
        }
        return structure;
    }

    /** referent_nom, referent_prenom, referent_mail; an invalid e-mail is dropped and counted, not rejected. */
    private ObjectNode adviser(ExtractRow row) throws LineRejected {
        ObjectNode adviser = NODES.objectNode();
        putIfNotNull(adviser, "familyName", row.name("referent_nom", false));
        putIfNotNull(adviser, "givenName", row.name("referent_prenom", false));
        String mail = row.opt("referent_mail");
        if (mail != null) {
            if (FtCodes.EMAIL.matcher(mail).matches() && mail.length() <= 254) {
                adviser.put("email", mail.toLowerCase(Locale.ROOT));
            } else {
                droppedReferentMails++;
            }
        }
        return adviser;
    }

    /**
     * rome_1, rome_2, upper case, deduplicated. A value that is not a ROME code is dropped and counted, never a reason
     * to reject the line: France Travail writes its own placeholder there (the carnet-de-bord sample has rome_1 = FAKE,
     * appelation_rome_1 = "Code Rome Inconnu"), and the job sought is optional beside the person's registration, PPAE
     * and follow-up (the Carnet de bord, which reads the same extract, skips such a code and imports the line).
     */
    private Set<String> romeCodes(ExtractRow row) {
        Set<String> romes = new LinkedHashSet<>();
        for (String col : List.of("rome_1", "rome_2")) {
            String rome = row.opt(col);
            if (rome != null) {
                String r = rome.toUpperCase(Locale.ROOT);
                if (FtCodes.ROME.matcher(r).matches()) {
                    romes.add(r);
                } else {
                    droppedRomeCodes++;
                }
            }
        }
        return romes;
    }

    /** The barriers valued yes; null when every dif_* column is absent (unknown), empty when all say no. */
    private static ArrayNode barriers(ExtractRow row) throws LineRejected {
        ArrayNode barriers = NODES.arrayNode();
        boolean anyBarrierKnown = false;
        for (Barrier b : BARRIERS) {
            Boolean yes = row.yesNo(b.column());
            if (yes == null) {
                continue;
            }
            anyBarrierKnown = true;
            if (yes) {
                barriers.add(b.code());
            }
        }
        return anyBarrierKnown ? barriers : null;
    }

    private static void putIfNotNull(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}

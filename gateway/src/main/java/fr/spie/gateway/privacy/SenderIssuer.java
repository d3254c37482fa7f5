package fr.spie.gateway.privacy;

import fr.spie.gateway.config.FileChannel;
import fr.spie.gateway.config.GatewayConfig;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.PartnerKind;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The issuer a sender gives, without writing it, to the identifiers it issues itself: a département names its
 * beneficiaries by its own internal id ({@code departement-id}) and often sends it without an issuer. Its files get
 * the issuer from the gateway (the partner id, or {@code files.identifierIssuers.departement-id}); an envelope or a
 * consent it sends over the API gets the same one before it is keyed, so that the person has one key whichever way
 * the département names them, and cd-51's 123 is not cd-08's 123. Only the key is made this way: the envelope as
 * received, its digest and the subject stored with a consent are left as they came.
 *
 * <p>The sender's own {@code departement-id}s are those of a partner of kind {@code departement} or of a partner
 * whose files are read with a département mapping (format {@code departement-file}, whose departement-ids get the
 * partner as issuer). Any other sender (France Travail relaying a département's id, an administrator) does not
 * issue them: a departement-id it gives without issuer names no one ({@link SubjectKey#namesNoOne}). The national
 * schemes ({@code france-travail-id}, {@code imilo-dossier-id}, {@code imilo-jeune-id}) need no issuer; a CAF/MSA
 * matricule is issued by a CAF or MSA, never by the sender of a département file or envelope.
 */
public final class SenderIssuer {
    /** The scheme a sender issues itself. */
    public static final String DEPARTEMENT_ID = "departement-id";

    private SenderIssuer() {
    }

    /**
     * The issuer of the {@code departement-id}s {@code partnerId} issues: the one its files give them
     * ({@code files.identifierIssuers.departement-id}, else its partner id), or null when the partner issues none or
     * is not a partner (an administrator).
     */
    public static String ofDepartementIds(GatewayConfig config, String partnerId) {
        Partner partner = partnerId == null ? null : config.partner(partnerId).orElse(null);
        if (partner == null) {
            return null;
        }
        FileChannel files = partner.files();
        boolean departementFiles = files != null && FileChannel.DEPARTEMENT_FILE.equals(files.format());
        if (partner.kind() != PartnerKind.DEPARTEMENT && !departementFiles) {
            return null;
        }
        String configured = files == null ? null : files.identifierIssuers().get(DEPARTEMENT_ID);
        return configured != null ? configured : partner.id();
    }

    /**
     * The subject to key when {@code sender} sent it: a copy in which each {@code departement-id} without issuer has
     * the sender's ({@link #ofDepartementIds}); {@code subject} itself when there is nothing to fill in.
     */
    public static JsonNode subjectToKey(GatewayConfig config, String sender, JsonNode subject) {
        return withIssuer(subject, ofDepartementIds(config, sender));
    }

    /** {@code subject} with {@code issuer} given to its departement-ids without one (a copy), or as it is. */
    static JsonNode withIssuer(JsonNode subject, String issuer) {
        if (issuer == null || subject == null || !subject.isObject() || !lacksIssuer(subject)) {
            return subject;
        }
        ObjectNode copy = (ObjectNode) subject.deepCopy();
        for (JsonNode identifier : copy.path("identifiers")) {
            if (identifier.isObject() && SubjectKey.namesNoOne(identifier)) {
                ((ObjectNode) identifier).put("issuer", issuer);
            }
        }
        return copy;
    }

    private static boolean lacksIssuer(JsonNode subject) {
        for (JsonNode identifier : subject.path("identifiers")) {
            if (SubjectKey.namesNoOne(identifier)) {
                return true;
            }
        }
        return false;
    }
}

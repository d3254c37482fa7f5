package fr.spie.connector.caf;

import java.util.Map;
import java.util.Set;

/** CNAF VRSB0801 code lists and their SPIE (rsa-situation.schema.json) values. */
final class VrsbCodes {

    private VrsbCodes() {
    }

    /** ETATDOSRSA → rsa-situation rightState. */
    static final Map<String, String> RIGHT_STATES = Map.of(
            "0", "new-request-pending",
            "1", "refused",
            "2", "open-payable",
            "3", "open-suspended",
            "4", "open-payment-suspended",
            "5", "closed",
            "6", "closed-previous-month");

    /** ROLEPERS → rsa-situation role. */
    static final Map<String, String> ROLES = Map.of(
            "DEM", "applicant",
            "CJT", "spouse",
            "ENF", "child",
            "AUT", "other");

    /** MOTISUSVERSRSA values the SPIE schema accepts (payment suspension reasons). */
    static final Set<String> PAYMENT_SUSPENSION_REASONS = Set.of(
            "01", "02", "03", "04", "05", "06", "09", "19", "31", "34", "35", "36", "44", "70", "78", "84", "85",
            "97", "AB", "CV", "CZ", "DA", "DB", "DC");

    /** MOTICLORSA values the SPIE schema accepts (closure reasons). */
    static final Set<String> CLOSURE_REASONS = Set.of("PCG", "ECH", "EFF", "MUT", "RGD", "RFD", "RAU", "RST", "RSO");

    /** TYPEFLUX → label reported in the read summary. */
    static final Map<String, String> FLUX_TYPES = Map.of("I", "daily", "M", "monthly", "R", "recovery");
}

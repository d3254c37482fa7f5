package fr.spie.connector.caf;

import fr.spie.connector.UnreadableInputException;
import fr.spie.connector.caf.CnafBeneficiairesConnector.DeclaredCountPolicy;
import java.util.Map;

/**
 * Reads the envelope of a VRSB0801 flux into the summary facts: IdentificationFlux (flux type, creation, reference
 * date) and TransmissionFlux (declared dossier counts), then checks the declared count against the households read.
 */
final class FluxEnvelopeReader {

    private final StaxCursor cursor;
    private final Map<String, String> facts;
    private String referenceDate;
    private long declared = -1;
    private long declaredAno = -1;

    /** {@code facts}: the summary facts, in order, that the envelope's facts are added to. */
    FluxEnvelopeReader(StaxCursor cursor, Map<String, String> facts) {
        this.cursor = cursor;
        this.facts = facts;
    }

    /** IdentificationFlux/DTREF, or null. */
    String referenceDate() {
        return referenceDate;
    }

    void readHeader(XmlNode h) throws UnreadableInputException {
        String fluxType = h.text("TYPEFLUX");
        if (fluxType == null || !VrsbCodes.FLUX_TYPES.containsKey(fluxType)) {
            throw cursor.unreadable("not a VRSB0801 flux: IdentificationFlux/TYPEFLUX must be I, M or R",
                    cursor.path());
        }
        facts.put("fluxType", fluxType);
        facts.put("fluxTypeLabel", VrsbCodes.FLUX_TYPES.get(fluxType));
        putIfPresent("nature", h.text("NATFLUX"));
        putIfPresent("application", h.text("APPLIEME"));
        putIfPresent("applicationVersion", h.text("NUMVERSIONAPPLIEME"));
        String created = h.text("DTCREAFLUX");
        if (created != null) {
            String time = h.text("HEUCREAFLUX");
            facts.put("createdAt", time == null ? created : created + "T" + time);
        }
        String dtref = h.text("DTREF");
        if (dtref != null) {
            try {
                // an xsd:date: 2025-02-28, or with a zone (2025-02-28Z, 2025-02-28+01:00): the calendar date counts
                referenceDate = VrsbFields.date(dtref, "IdentificationFlux/DTREF");
            } catch (Reject e) {
                throw cursor.unreadable(e.getMessage(), cursor.path());
            }
            facts.put("referenceDate", referenceDate);
        }
    }

    private void putIfPresent(String key, String value) {
        if (value != null) {
            facts.put(key, value);
        }
    }

    void readTransmission(XmlNode t) throws UnreadableInputException {
        declared = count(t.text("NBTOTDOSRSATRANSM"), "NBTOTDOSRSATRANSM");
        String ano = t.text("NBTOTDOSRSATRANSMANO");
        declaredAno = ano == null ? 0 : count(ano, "NBTOTDOSRSATRANSMANO");
    }

    private long count(String value, String what) throws UnreadableInputException {
        if (value == null) {
            throw cursor.unreadable("TransmissionFlux/" + what + " is missing", cursor.path());
        }
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw cursor.unreadable("TransmissionFlux/" + what + " is not a number", cursor.path());
        }
    }

    /** Adds the declared and read counts to the facts; a mismatch refuses the file or is reported, per policy. */
    void checkTotals(long foyers, DeclaredCountPolicy policy) throws UnreadableInputException {
        facts.put("declaredDossiers", Long.toString(declared));
        facts.put("declaredDossiersWithAnomaly", Long.toString(declaredAno));
        facts.put("readDossiers", Long.toString(foyers));
        // NBTOTDOSRSATRANSM counts "the dossiers transmitted, including in the anomaly flux" (XSD annotation):
        // this file must hold either all of them or all but those sent in the anomaly flux.
        boolean matches = foyers == declared || foyers == declared - declaredAno;
        if (!matches) {
            String msg = "TransmissionFlux/NBTOTDOSRSATRANSM declares " + declared + " dossier(s)"
                    + (declaredAno > 0 ? " (" + declaredAno + " in the anomaly flux)" : "")
                    + " but " + foyers + " InfosFoyerRSA were read";
            if (policy == DeclaredCountPolicy.REFUSE_FILE) {
                throw new UnreadableInputException(msg, "/Racine/TransmissionFlux");
            }
            facts.put("declaredCountMismatch", "true");
        }
    }
}

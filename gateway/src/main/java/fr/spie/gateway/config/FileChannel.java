package fr.spie.gateway.config;

import java.util.Map;
import java.util.Set;

/**
 * How a partner's files (inbox drops and uploads) are read, and the envelope facts files do not carry.
 *
 * @param format        connector format, one of {@link #FORMATS}
 * @param purpose       purpose of processing written in every envelope built from the partner's files
 * @param legalBasis    legal basis written in every such envelope
 * @param encoding      text encoding of the files, or null for the connector's default (france-travail-extract-spie
 *                      and departement-file only)
 * @param mappingName   departement-file: name of a built-in mapping, or null
 * @param inlineMapping departement-file: an inline mapping (the generic map YAML gives), or null
 * @param declaredCounts cnaf-vrsb0801: what a file whose declared total of households (NBTOTDOSRSATRANSM) differs from
 *                      what it holds gets: {@link #REFUSE_FILE} (quarantined, the default) or {@link #REPORT} (read,
 *                      the mismatch reported in the file's facts)
 * @param identifierIssuers departement-file: the issuer of the identifiers of each scheme the mapping gives none
 *                      (e.g. {@code caf-matricule → "CAF 511"}); empty for none. A departement-id with none is
 *                      issued by the partner itself
 */
public record FileChannel(String format, String purpose, LegalBasis legalBasis, String encoding, String mappingName,
                          Map<String, Object> inlineMapping, String declaredCounts,
                          Map<String, String> identifierIssuers) {
    public static final String CNAF_VRSB0801 = "cnaf-vrsb0801";
    public static final String FRANCE_TRAVAIL_EXTRACT = "france-travail-extract-spie";
    public static final String DEPARTEMENT_FILE = "departement-file";
    public static final String IMILO_DOSSIER_JSON = "imilo-dossier-json";
    public static final Set<String> FORMATS = Set.of(CNAF_VRSB0801, FRANCE_TRAVAIL_EXTRACT, DEPARTEMENT_FILE,
            IMILO_DOSSIER_JSON);
    /** Formats whose encoding is configurable (the others declare or impose theirs). */
    public static final Set<String> ENCODING_FORMATS = Set.of(FRANCE_TRAVAIL_EXTRACT, DEPARTEMENT_FILE);
    /** The mapping departement-file uses when none is configured. */
    public static final String DEFAULT_MAPPING = "carnet-de-bord-beneficiaires";

    public static final String REFUSE_FILE = "refuse-file";
    public static final String REPORT = "report";

    public FileChannel {
        inlineMapping = inlineMapping == null ? null : Map.copyOf(inlineMapping);
        declaredCounts = declaredCounts == null ? REFUSE_FILE : declaredCounts;
        identifierIssuers = identifierIssuers == null ? Map.of() : Map.copyOf(identifierIssuers);
    }

    /** A channel with no configured identifier issuer. */
    public FileChannel(String format, String purpose, LegalBasis legalBasis, String encoding, String mappingName,
                       Map<String, Object> inlineMapping, String declaredCounts) {
        this(format, purpose, legalBasis, encoding, mappingName, inlineMapping, declaredCounts, Map.of());
    }

    /** A channel with the default declared-count policy. */
    public FileChannel(String format, String purpose, LegalBasis legalBasis, String encoding, String mappingName,
                       Map<String, Object> inlineMapping) {
        this(format, purpose, legalBasis, encoding, mappingName, inlineMapping, REFUSE_FILE);
    }
}

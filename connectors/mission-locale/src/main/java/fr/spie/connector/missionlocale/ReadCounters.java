package fr.spie.connector.missionlocale;

import fr.spie.connector.ReadSummary;
import java.util.LinkedHashMap;
import java.util.Map;

/** What one read of i-milo dossiers counted, and the {@link ReadSummary} made of it. */
final class ReadCounters {
    long dossiers;
    long records;
    long rejected;
    /** Invalid optional values left out (e-mail, postal code, numeroDE, ROME code): fact {@code droppedValues}. */
    long dropped;
    /** Dossiers without an accompaniment to report: fact {@code dossiersWithoutSupport}. */
    long withoutSupport;

    ReadSummary summary(String shape) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("shape", shape);
        facts.put("droppedValues", Long.toString(dropped));
        facts.put("dossiersWithoutSupport", Long.toString(withoutSupport));
        return new ReadSummary(dossiers, records, rejected, facts);
    }
}

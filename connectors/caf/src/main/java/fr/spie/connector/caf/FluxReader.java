package fr.spie.connector.caf;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.UnreadableInputException;
import fr.spie.connector.caf.CnafBeneficiairesConnector.DeclaredCountPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One read of a VRSB0801 flux: checks the order of {@code <Racine>}'s children (IdentificationFlux, InfosFoyerRSA*,
 * TransmissionFlux), maps each InfosFoyerRSA as soon as it is read (household, then each person; a rejection goes to
 * the sink and the file goes on) and returns the summary.
 */
final class FluxReader {

    /** Blocks of InfosFoyerRSA the mapping does not use: skipped while streaming, never stored. */
    private static final Set<String> SKIPPED = Set.of(
            "Ressources", "Activite", "PensionAlimentaire", "Grossesse", "InformationsAgricoles", "AvisPCGPersonne",
            "AvisCGSSDOMPersonne", "Rattachement", "DemandeRMI", "SpecificiteDOM", "MontantsCalculDroitRSA",
            "DetailCalculDroitRSA", "AvisPCGDroitRSA", "Evenement", "Controle", "Anomalie");

    private final StaxCursor cursor;
    private final RecordSink sink;
    private final DeclaredCountPolicy declaredCountPolicy;
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final FluxEnvelopeReader envelope;
    private final HouseholdMapper households = new HouseholdMapper();
    private final PersonMapper persons;
    private long foyers;
    private long rejected;

    FluxReader(XMLStreamReader r, RecordSink sink, DeclaredCountPolicy declaredCountPolicy) {
        this.cursor = new StaxCursor(r, SKIPPED);
        this.sink = sink;
        this.declaredCountPolicy = declaredCountPolicy;
        this.envelope = new FluxEnvelopeReader(cursor, facts);
        this.persons = new PersonMapper(sink);
    }

    /** The path of the element being read, for the location of a malformed-XML refusal. */
    String currentPath() {
        return cursor.path();
    }

    ReadSummary readFlux() throws XMLStreamException, UnreadableInputException {
        cursor.toRootElement();
        if (!"Racine".equals(cursor.localName())) {
            throw cursor.unreadable("not a VRSB0801 flux: root element is <" + cursor.localName()
                    + ">, expected <Racine>", "/" + cursor.localName());
        }
        boolean header = false;
        boolean transmission = false;
        while (cursor.nextChild() == XMLStreamConstants.START_ELEMENT) {
            String name = cursor.localName();
            switch (name) {
                case "IdentificationFlux" -> {
                    cursor.path("/Racine/IdentificationFlux");
                    if (header || foyers > 0 || transmission) {
                        throw cursor.unreadable("IdentificationFlux must come once, first", cursor.path());
                    }
                    envelope.readHeader(cursor.readSubtree("IdentificationFlux"));
                    header = true;
                }
                case "InfosFoyerRSA" -> {
                    cursor.path("/Racine/InfosFoyerRSA[" + (foyers + 1) + "]");
                    if (!header) {
                        throw cursor.unreadable("not a VRSB0801 flux: InfosFoyerRSA before IdentificationFlux",
                                cursor.path());
                    }
                    if (transmission) {
                        throw cursor.unreadable("InfosFoyerRSA after TransmissionFlux", cursor.path());
                    }
                    foyers++;
                    XmlNode foyer = cursor.readSubtree("InfosFoyerRSA");
                    mapFoyer(foyer, cursor.path());
                }
                case "TransmissionFlux" -> {
                    cursor.path("/Racine/TransmissionFlux");
                    if (!header || transmission) {
                        throw cursor.unreadable("TransmissionFlux must come once, after IdentificationFlux",
                                cursor.path());
                    }
                    envelope.readTransmission(cursor.readSubtree("TransmissionFlux"));
                    transmission = true;
                }
                default -> throw cursor.unreadable("not a VRSB0801 bénéficiaires flux: unexpected element <" + name
                        + "> under <Racine>", "/Racine/" + name);
            }
        }
        cursor.path("/Racine");
        cursor.readEpilog();
        if (!header) {
            throw cursor.unreadable("not a VRSB0801 flux: IdentificationFlux is missing", "/Racine");
        }
        if (!transmission) {
            throw cursor.unreadable("TransmissionFlux is missing (truncated file?)", "/Racine");
        }
        envelope.checkTotals(foyers, declaredCountPolicy);
        if (households.organisation() != null) {
            facts.put("organisation", households.organisation());
        }
        if (persons.nirUncertified() > 0) {
            facts.put("nirUncertified", Long.toString(persons.nirUncertified()));
        }
        if (persons.nirOmitted() > 0) {
            facts.put("nirOmittedNotPersonalNir", Long.toString(persons.nirOmitted()));
        }
        return new ReadSummary(foyers, persons.records(), rejected, facts);
    }

    private void mapFoyer(XmlNode foyer, String foyerLoc) {
        Household h;
        try {
            h = households.map(foyer, envelope.referenceDate());
        } catch (Reject e) {
            sink.reject(new RecordRejection(foyerLoc, e.getMessage()));
            rejected++;
            return;
        }
        int j = 0;
        for (XmlNode p : foyer.children()) {
            if (!p.name.equals("Personne")) {
                continue;
            }
            j++;
            String loc = foyerLoc + "/Personne[" + j + "]";
            try {
                persons.map(p, h, loc);
            } catch (Reject e) {
                sink.reject(new RecordRejection(loc, e.getMessage()));
                rejected++;
            }
        }
    }
}

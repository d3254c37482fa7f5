package fr.spie.connector.caf;

import fr.spie.connector.InboundConnector;
import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordSink;
import fr.spie.connector.UnreadableInputException;
import fr.spie.connector.io.Utf8Evidence;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a CNAF "flux bénéficiaires RSA" VRSB0801 file (CAF or MSA, daily {@code I}, monthly {@code M} or recovery
 * {@code R}) and emits, for each {@code Personne} of each {@code InfosFoyerRSA}, one {@code person} record then one
 * {@code rsa-situation} record.
 *
 * <p>Streaming: the file is read with StAX, one {@code InfosFoyerRSA} subtree at a time (blocks the mapping does not use
 * are skipped, not stored); memory does not grow with the number of households. The declared encoding is honoured
 * (windows-1252 in CNAF files).
 *
 * <p>Hardened: no DTD (a DOCTYPE refuses the file), no external entities, no entity replacement, no external
 * resolution; per-household element count, depth and text length are bounded.
 *
 * <p>Thread-safe: no mutable state outside {@link #read}. The work is done by {@link FluxReader} (one per read), with
 * {@link StaxCursor} (StAX navigation), {@link FluxEnvelopeReader} (header and declared totals),
 * {@link HouseholdMapper} and {@link PersonMapper} (mapping) and {@link VrsbFields} (field values).
 */
public final class CnafBeneficiairesConnector implements InboundConnector {

    public static final String FORMAT = "cnaf-vrsb0801";

    /** What to do when TransmissionFlux/NBTOTDOSRSATRANSM does not match the number of InfosFoyerRSA read. */
    public enum DeclaredCountPolicy {
        /** The whole file is refused (UnreadableInputException): the default. */
        REFUSE_FILE,
        /** The mismatch is only reported in the summary facts ({@code declaredCountMismatch=true}). */
        REPORT
    }

    private final DeclaredCountPolicy declaredCountPolicy;

    /** A connector that refuses files whose declared dossier count does not match. */
    public CnafBeneficiairesConnector() {
        this(DeclaredCountPolicy.REFUSE_FILE);
    }

    public CnafBeneficiairesConnector(DeclaredCountPolicy declaredCountPolicy) {
        this.declaredCountPolicy = Objects.requireNonNull(declaredCountPolicy, "declaredCountPolicy");
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /** A StAX factory with DTDs, external entities, entity replacement and external resolution all disabled. */
    static XMLInputFactory hardenedFactory() {
        return hardenedFactory(false);
    }

    static XMLInputFactory hardenedFactory(boolean namespaceAware) {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, namespaceAware);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setXMLReporter((message, errorType, info, location) -> { /* errors surface as exceptions */ });
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are not accepted");
        });
        return f;
    }

    @Override
    public ReadSummary read(InputStream input, RecordSink sink) throws UnreadableInputException {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(sink, "sink");
        XMLStreamReader r;
        Utf8Evidence bytes = new Utf8Evidence(input);
        try {
            r = hardenedFactory().createXMLStreamReader(bytes);
        } catch (XMLStreamException e) {
            throw new UnreadableInputException("not readable as XML: " + message(e),
                    StaxCursor.where(e.getLocation(), null), e);
        }
        FluxReader run = new FluxReader(r, sink, declaredCountPolicy);
        try {
            ReadSummary summary = run.readFlux();
            String declared = r.getCharacterEncodingScheme();
            if (declared != null && misread(bytes, declared)) {
                throw new UnreadableInputException("the file declares encoding=\"" + declared + "\" but its bytes"
                        + " are UTF-8: every accented letter would be read as two characters; declare UTF-8 or send"
                        + " the file in " + declared, "prolog");
            }
            return summary;
        } catch (XMLStreamException e) {
            throw new UnreadableInputException("malformed XML (truncated file, wrong encoding or not XML): "
                    + message(e), StaxCursor.where(e.getLocation(), run.currentPath()), e);
        } finally {
            try {
                r.close();
            } catch (XMLStreamException ignored) {
                // nothing to do
            }
        }
    }

    /** Whether the bytes, read in their declared single-byte encoding, were in fact UTF-8. */
    private static boolean misread(Utf8Evidence bytes, String declared) {
        try {
            return bytes.misread(Charset.forName(declared));
        } catch (IllegalArgumentException unknownToJava) {
            return false;
        }
    }

    private static String message(XMLStreamException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int i = m.indexOf("Message: ");
        return (i >= 0 ? m.substring(i + 9) : m).strip();
    }
}

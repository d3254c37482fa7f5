package fr.spie.connector.caf;

import fr.spie.connector.UnreadableInputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.stax.StAXSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Validates a VRSB0801 file against the CNAF XSD ({@code vrsb0801.xsd}, bundled), streaming, with the same hardening
 * as the connector: the document is read through the connector's StAX factory (no DTD, no external entities), and the
 * schema factory and validator may not fetch anything. The gateway can call it before mapping to quarantine files
 * that do not follow the XSD, or just to report the differences.
 *
 * <p>Thread-safe: the compiled schema is shared; each call uses its own validator.
 */
public final class XsdValidator {

    /** At most this many problems are collected; the rest are counted. */
    public static final int MAX_PROBLEMS = 100;

    private static final XsdValidator VRSB0801 = new XsdValidator();

    private final Schema schema;

    private XsdValidator() {
        try {
            SchemaFactory f = SchemaFactory.newDefaultInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            URL xsd = XsdValidator.class.getResource("vrsb0801.xsd");
            if (xsd == null) {
                throw new IllegalStateException("vrsb0801.xsd is not on the class path");
            }
            this.schema = f.newSchema(xsd);
        } catch (SAXException e) {
            throw new IllegalStateException("cannot compile vrsb0801.xsd: " + e.getMessage(), e);
        }
    }

    /** The validator of the VRSB0801 bénéficiaires flux. */
    public static XsdValidator vrsb0801() {
        return VRSB0801;
    }

    /** One difference with the XSD. */
    public record Problem(int line, int column, String message) {
        @Override
        public String toString() {
            return "line " + line + ", column " + column + ": " + message;
        }
    }

    /** The result: valid when there is no problem. */
    public record Result(List<Problem> problems, int moreProblems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /**
     * @throws UnreadableInputException when the input is not well-formed XML, has a DTD, or cannot be read
     */
    public Result validate(InputStream input) throws UnreadableInputException {
        List<Problem> problems = new ArrayList<>();
        int[] more = {0};
        Validator v = schema.newValidator();
        try {
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (SAXException e) {
            throw new IllegalStateException(e);
        }
        v.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                // warnings are not differences
            }

            @Override
            public void error(SAXParseException e) {
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add(new Problem(e.getLineNumber(), e.getColumnNumber(), e.getMessage()));
                } else {
                    more[0]++;
                }
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        XMLStreamReader r;
        try {
            r = CnafBeneficiairesConnector.hardenedFactory(true).createXMLStreamReader(input);
        } catch (XMLStreamException e) {
            throw new UnreadableInputException("not readable as XML: " + e.getMessage(), null, e);
        }
        try {
            while (r.getEventType() != XMLStreamReader.START_ELEMENT) {
                if (r.getEventType() == XMLStreamReader.DTD) {
                    throw new UnreadableInputException("DTDs are not accepted (DOCTYPE found)", "prolog");
                }
                r.next();
            }
            v.validate(new StAXSource(r));
        } catch (XMLStreamException e) {
            throw new UnreadableInputException("malformed XML: " + e.getMessage(), location(e.getLocation()), e);
        } catch (SAXParseException e) {
            throw new UnreadableInputException("malformed XML: " + e.getMessage(),
                    "line " + e.getLineNumber() + ", column " + e.getColumnNumber(), e);
        } catch (SAXException | IOException e) {
            throw new UnreadableInputException("cannot validate: " + e.getMessage(), null, e);
        } finally {
            try {
                r.close();
            } catch (XMLStreamException ignored) {
                // nothing to do
            }
        }
        return new Result(Collections.unmodifiableList(problems), more[0]);
    }

    private static String location(javax.xml.stream.Location l) {
        return l == null ? null : "line " + l.getLineNumber() + ", column " + l.getColumnNumber();
    }
}

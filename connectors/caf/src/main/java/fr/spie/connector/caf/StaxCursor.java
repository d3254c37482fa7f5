package fr.spie.connector.caf;

import fr.spie.connector.UnreadableInputException;
import java.util.ArrayDeque;
import java.util.Set;
import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Walks a VRSB0801 document with StAX: prolog and epilog checks, the children of {@code <Racine>}, and one child's
 * subtree read into a small {@link XmlNode} tree (unused blocks skipped, element count, depth and text length bounded).
 * Knows the path of the element being read, for the location of every refusal.
 */
final class StaxCursor {

    static final int MAX_ELEMENTS_PER_HOUSEHOLD = 20_000;
    static final int MAX_DEPTH = 16;
    static final int MAX_TEXT_LENGTH = 4_096;

    private final XMLStreamReader r;
    private final Set<String> skipped;
    private final StringBuilder text = new StringBuilder(64);
    private final ArrayDeque<XmlNode> stack = new ArrayDeque<>();
    private String path = "/Racine";

    /** {@code skipped}: names of the elements whose subtree is skipped, never stored. */
    StaxCursor(XMLStreamReader r, Set<String> skipped) {
        this.r = r;
        this.skipped = skipped;
    }

    /** The path of the element being read ({@code /Racine/InfosFoyerRSA[3]}), for locations. */
    String path() {
        return path;
    }

    void path(String path) {
        this.path = path;
    }

    /** Local name of the current START_ELEMENT. */
    String localName() {
        return r.getLocalName();
    }

    UnreadableInputException unreadable(String message, String where) {
        return new UnreadableInputException(message, where(r.getLocation(), where));
    }

    /** "line L, column C, path": the parts that are known, or null. */
    static String where(Location loc, String path) {
        StringBuilder sb = new StringBuilder();
        if (loc != null && loc.getLineNumber() > 0) {
            sb.append("line ").append(loc.getLineNumber());
            if (loc.getColumnNumber() > 0) {
                sb.append(", column ").append(loc.getColumnNumber());
            }
        }
        if (path != null) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(path);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** Moves to the root START_ELEMENT; a DOCTYPE is refused before anything else is read. */
    void toRootElement() throws XMLStreamException, UnreadableInputException {
        int ev = r.getEventType();
        while (ev != XMLStreamConstants.START_ELEMENT) {
            if (ev == XMLStreamConstants.DTD) {
                throw unreadable("DTDs are not accepted (DOCTYPE found): VRSB0801 files have none", "prolog");
            }
            if (ev == XMLStreamConstants.ENTITY_REFERENCE) {
                throw unreadable("entity references are not accepted", "prolog");
            }
            if (!r.hasNext()) {
                throw unreadable("empty document: no root element", null);
            }
            ev = r.next();
        }
    }

    /** Reads what follows the root element to the end of the document. */
    void readEpilog() throws XMLStreamException, UnreadableInputException {
        while (r.hasNext()) {
            int ev = r.next(); // the parser checks nothing but comments/PIs/whitespace follow the root
            if (ev == XMLStreamConstants.DTD || ev == XMLStreamConstants.ENTITY_REFERENCE) {
                throw unreadable("DTDs and entity references are not accepted", "epilog");
            }
        }
    }

    /** Next child START_ELEMENT or the parent's END_ELEMENT, skipping whitespace and comments. */
    int nextChild() throws XMLStreamException, UnreadableInputException {
        while (true) {
            int ev = r.next();
            switch (ev) {
                case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT:
                    return ev;
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE:
                    if (!r.isWhiteSpace()) {
                        throw unreadable("unexpected text between elements", path);
                    }
                    break;
                case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION:
                    break;
                case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.DTD:
                    throw unreadable("DTDs and entity references are not accepted", path);
                case XMLStreamConstants.END_DOCUMENT:
                    throw unreadable("truncated file: end of document inside <Racine>", path);
                default:
                    throw unreadable("unexpected XML content (event " + ev + ")", path);
            }
        }
    }

    /** Reads the subtree of the current START_ELEMENT into a small tree, skipping unused blocks. */
    XmlNode readSubtree(String rootName) throws XMLStreamException, UnreadableInputException {
        XmlNode root = new XmlNode(rootName);
        stack.clear();
        stack.push(root);
        text.setLength(0);
        int elements = 1;
        while (!stack.isEmpty()) {
            int ev = r.next();
            switch (ev) {
                case XMLStreamConstants.START_ELEMENT -> {
                    String name = r.getLocalName();
                    if (skipped.contains(name)) {
                        skipElement();
                        break;
                    }
                    if (++elements > MAX_ELEMENTS_PER_HOUSEHOLD) {
                        throw unreadable("<" + rootName + "> has more than " + MAX_ELEMENTS_PER_HOUSEHOLD
                                + " elements", path);
                    }
                    if (stack.size() >= MAX_DEPTH) {
                        throw unreadable("elements nested deeper than " + MAX_DEPTH, path);
                    }
                    XmlNode n = new XmlNode(name);
                    stack.peek().add(n);
                    stack.push(n);
                    text.setLength(0);
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (text.length() + r.getTextLength() > MAX_TEXT_LENGTH) {
                        throw unreadable("element text longer than " + MAX_TEXT_LENGTH + " characters", path);
                    }
                    text.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    XmlNode n = stack.pop();
                    if (n.children().isEmpty() && text.length() > 0) {
                        n.text = text.toString().strip();
                    }
                    text.setLength(0);
                }
                case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> {
                    // ignored
                }
                case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.DTD ->
                        throw unreadable("DTDs and entity references are not accepted", path);
                case XMLStreamConstants.END_DOCUMENT ->
                        throw unreadable("truncated file: end of document inside <" + rootName + ">", path);
                default -> {
                    // attributes/namespaces are not events of their own; nothing else expected
                }
            }
        }
        return root;
    }

    private void skipElement() throws XMLStreamException, UnreadableInputException {
        int depth = 1;
        while (depth > 0) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (depth > MAX_DEPTH) {
                    throw unreadable("elements nested deeper than " + MAX_DEPTH, path);
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (ev == XMLStreamConstants.ENTITY_REFERENCE || ev == XMLStreamConstants.DTD) {
                throw unreadable("DTDs and entity references are not accepted", path);
            } else if (ev == XMLStreamConstants.END_DOCUMENT) {
                throw unreadable("truncated file", path);
            }
        }
    }
}

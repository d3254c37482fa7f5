package fr.spie.connector.caf;

import fr.spie.connector.InboundConnector;
import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.UnreadableInputException;
import fr.spie.connector.identity.Matricule;
import fr.spie.connector.identity.Names;
import fr.spie.connector.identity.Nir;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

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
 * <p>Thread-safe: no mutable state outside {@link #read}.
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

    static final int MAX_ELEMENTS_PER_HOUSEHOLD = 20_000;
    static final int MAX_DEPTH = 16;
    static final int MAX_TEXT_LENGTH = 4_096;

    /** Blocks of InfosFoyerRSA the mapping does not use: skipped while streaming, never stored. */
    private static final Set<String> SKIPPED = Set.of(
            "Ressources", "Activite", "PensionAlimentaire", "Grossesse", "InformationsAgricoles", "AvisPCGPersonne",
            "AvisCGSSDOMPersonne", "Rattachement", "DemandeRMI", "SpecificiteDOM", "MontantsCalculDroitRSA",
            "DetailCalculDroitRSA", "AvisPCGDroitRSA", "Evenement", "Controle", "Anomalie");

    private static final Pattern NUMORG = Pattern.compile("^[0-9A-Za-z]{1,3}$");
    private static final Pattern REQUEST_NUMBER = Pattern.compile("^[0-9A-Z]{1,11}$");
    private static final Pattern REASON_CODE = Pattern.compile("^[0-9A-Z]{2}$");
    private static final Pattern FAMILY_SITUATION = Pattern.compile("^[A-Z]{3}$");
    private static final Pattern COMMUNE_CODE = Pattern.compile("^(2[AB]|[0-9]{2})[0-9]{3}$");
    private static final Pattern POSTAL_CODE = Pattern.compile("^[0-9]{5}$");
    private static final Pattern FT_ID = Pattern.compile("^[0-9A-Z]{1,11}$");
    private static final int MAX_NAME = 100;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

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
        try {
            r = hardenedFactory().createXMLStreamReader(input);
        } catch (XMLStreamException e) {
            throw new UnreadableInputException("not readable as XML: " + message(e), where(e.getLocation(), null), e);
        }
        Run run = new Run(r, sink);
        try {
            return run.readFlux();
        } catch (XMLStreamException e) {
            throw new UnreadableInputException("malformed XML (truncated file, wrong encoding or not XML): "
                    + message(e), where(e.getLocation(), run.currentPath()), e);
        } finally {
            try {
                r.close();
            } catch (XMLStreamException ignored) {
                // nothing to do
            }
        }
    }

    private static String message(XMLStreamException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int i = m.indexOf("Message: ");
        return (i >= 0 ? m.substring(i + 9) : m).strip();
    }

    private static String where(Location loc, String path) {
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

    /** A mapping problem of one household or person: rejected, the file goes on. */
    private static final class Reject extends Exception {
        Reject(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The state of one read() call. */
    private final class Run {
        private final XMLStreamReader r;
        private final RecordSink sink;
        private final Map<String, String> facts = new LinkedHashMap<>();
        private final MessageDigest sha256;
        private final StringBuilder text = new StringBuilder(64);
        private final ArrayDeque<XmlNode> stack = new ArrayDeque<>();
        private long foyers;
        private long records;
        private long rejected;
        private long nirOmitted;
        private String organisation;
        private String currentPath = "/Racine";
        private String fluxType;
        private String referenceDate;

        Run(XMLStreamReader r, RecordSink sink) {
            this.r = r;
            this.sink = sink;
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        String currentPath() {
            return currentPath;
        }

        private UnreadableInputException unreadable(String message, String path) {
            return new UnreadableInputException(message, where(r.getLocation(), path));
        }

        ReadSummary readFlux() throws XMLStreamException, UnreadableInputException {
            // prolog: a DOCTYPE is refused before anything else is read
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
            if (!"Racine".equals(r.getLocalName())) {
                throw unreadable("not a VRSB0801 flux: root element is <" + r.getLocalName()
                        + ">, expected <Racine>", "/" + r.getLocalName());
            }
            boolean header = false;
            boolean transmission = false;
            long declared = -1;
            long declaredAno = -1;
            while ((ev = nextChild()) == XMLStreamConstants.START_ELEMENT) {
                String name = r.getLocalName();
                switch (name) {
                    case "IdentificationFlux" -> {
                        currentPath = "/Racine/IdentificationFlux";
                        if (header || foyers > 0 || transmission) {
                            throw unreadable("IdentificationFlux must come once, first", currentPath);
                        }
                        readHeader(readSubtree("IdentificationFlux"));
                        header = true;
                    }
                    case "InfosFoyerRSA" -> {
                        currentPath = "/Racine/InfosFoyerRSA[" + (foyers + 1) + "]";
                        if (!header) {
                            throw unreadable("not a VRSB0801 flux: InfosFoyerRSA before IdentificationFlux", currentPath);
                        }
                        if (transmission) {
                            throw unreadable("InfosFoyerRSA after TransmissionFlux", currentPath);
                        }
                        foyers++;
                        XmlNode foyer = readSubtree("InfosFoyerRSA");
                        mapFoyer(foyer, currentPath);
                    }
                    case "TransmissionFlux" -> {
                        currentPath = "/Racine/TransmissionFlux";
                        if (!header || transmission) {
                            throw unreadable("TransmissionFlux must come once, after IdentificationFlux", currentPath);
                        }
                        XmlNode t = readSubtree("TransmissionFlux");
                        declared = count(t.text("NBTOTDOSRSATRANSM"), "NBTOTDOSRSATRANSM");
                        String ano = t.text("NBTOTDOSRSATRANSMANO");
                        declaredAno = ano == null ? 0 : count(ano, "NBTOTDOSRSATRANSMANO");
                        transmission = true;
                    }
                    default -> throw unreadable("not a VRSB0801 bénéficiaires flux: unexpected element <" + name
                            + "> under <Racine>", "/Racine/" + name);
                }
            }
            currentPath = "/Racine";
            while (r.hasNext()) {
                ev = r.next(); // the parser checks nothing but comments/PIs/whitespace follow the root
                if (ev == XMLStreamConstants.DTD || ev == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw unreadable("DTDs and entity references are not accepted", "epilog");
                }
            }
            if (!header) {
                throw unreadable("not a VRSB0801 flux: IdentificationFlux is missing", "/Racine");
            }
            if (!transmission) {
                throw unreadable("TransmissionFlux is missing (truncated file?)", "/Racine");
            }
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
                if (declaredCountPolicy == DeclaredCountPolicy.REFUSE_FILE) {
                    throw new UnreadableInputException(msg, "/Racine/TransmissionFlux");
                }
                facts.put("declaredCountMismatch", "true");
            }
            if (organisation != null) {
                facts.put("organisation", organisation);
            }
            if (nirOmitted > 0) {
                facts.put("nirOmittedNotPersonalNir", Long.toString(nirOmitted));
            }
            return new ReadSummary(foyers, records, rejected, facts);
        }

        /** Next child START_ELEMENT or the parent's END_ELEMENT, skipping whitespace and comments. */
        private int nextChild() throws XMLStreamException, UnreadableInputException {
            while (true) {
                int ev = r.next();
                switch (ev) {
                    case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT:
                        return ev;
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE:
                        if (!r.isWhiteSpace()) {
                            throw unreadable("unexpected text between elements", currentPath);
                        }
                        break;
                    case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION:
                        break;
                    case XMLStreamConstants.ENTITY_REFERENCE, XMLStreamConstants.DTD:
                        throw unreadable("DTDs and entity references are not accepted", currentPath);
                    case XMLStreamConstants.END_DOCUMENT:
                        throw unreadable("truncated file: end of document inside <Racine>", currentPath);
                    default:
                        throw unreadable("unexpected XML content (event " + ev + ")", currentPath);
                }
            }
        }

        /** Reads the subtree of the current START_ELEMENT into a small tree, skipping unused blocks. */
        private XmlNode readSubtree(String rootName) throws XMLStreamException, UnreadableInputException {
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
                        if (SKIPPED.contains(name)) {
                            skipElement();
                            break;
                        }
                        if (++elements > MAX_ELEMENTS_PER_HOUSEHOLD) {
                            throw unreadable("<" + rootName + "> has more than " + MAX_ELEMENTS_PER_HOUSEHOLD
                                    + " elements", currentPath);
                        }
                        if (stack.size() >= MAX_DEPTH) {
                            throw unreadable("elements nested deeper than " + MAX_DEPTH, currentPath);
                        }
                        XmlNode n = new XmlNode(name);
                        stack.peek().add(n);
                        stack.push(n);
                        text.setLength(0);
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (text.length() + r.getTextLength() > MAX_TEXT_LENGTH) {
                            throw unreadable("element text longer than " + MAX_TEXT_LENGTH + " characters",
                                    currentPath);
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
                            throw unreadable("DTDs and entity references are not accepted", currentPath);
                    case XMLStreamConstants.END_DOCUMENT ->
                            throw unreadable("truncated file: end of document inside <" + rootName + ">", currentPath);
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
                        throw unreadable("elements nested deeper than " + MAX_DEPTH, currentPath);
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                } else if (ev == XMLStreamConstants.ENTITY_REFERENCE || ev == XMLStreamConstants.DTD) {
                    throw unreadable("DTDs and entity references are not accepted", currentPath);
                } else if (ev == XMLStreamConstants.END_DOCUMENT) {
                    throw unreadable("truncated file", currentPath);
                }
            }
        }

        private long count(String value, String what) throws UnreadableInputException {
            if (value == null) {
                throw unreadable("TransmissionFlux/" + what + " is missing", currentPath);
            }
            try {
                long n = Long.parseLong(value);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw unreadable("TransmissionFlux/" + what + " is not a number", currentPath);
            }
        }

        private void readHeader(XmlNode h) throws UnreadableInputException {
            fluxType = h.text("TYPEFLUX");
            if (fluxType == null || !VrsbCodes.FLUX_TYPES.containsKey(fluxType)) {
                throw unreadable("not a VRSB0801 flux: IdentificationFlux/TYPEFLUX must be I, M or R", currentPath);
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
                    LocalDate.parse(dtref);
                } catch (DateTimeParseException e) {
                    throw unreadable("IdentificationFlux/DTREF is not a date (YYYY-MM-DD)", currentPath);
                }
                referenceDate = dtref;
                facts.put("referenceDate", dtref);
            }
        }

        private void putIfPresent(String key, String value) {
            if (value != null) {
                facts.put(key, value);
            }
        }

        // ------------------------------------------------------------------------------------------ mapping

        /** What the household gives every person's rsa-situation. */
        private record Household(String fonorg, String numorg, Matricule matricule, ObjectNode situation,
                                 ObjectNode address) {
        }

        private void mapFoyer(XmlNode foyer, String foyerLoc) {
            Household h;
            try {
                h = household(foyer);
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
                    mapPerson(p, h, loc);
                } catch (Reject e) {
                    sink.reject(new RecordRejection(loc, e.getMessage()));
                    rejected++;
                }
            }
        }

        private Household household(XmlNode foyer) throws Reject {
            List<String> missing = new ArrayList<>(4);
            XmlNode idRsa = foyer.child("IdentificationRSA");
            XmlNode admin = foyer.child("DonneesAdministratives");
            XmlNode prest = foyer.child("PrestationRSA");
            if (idRsa == null) {
                missing.add("IdentificationRSA");
            }
            List<XmlNode> persons = foyer.all("Personne");
            if (persons.isEmpty()) {
                missing.add("Personne");
            }
            if (admin == null) {
                missing.add("DonneesAdministratives");
            }
            if (prest == null) {
                missing.add("PrestationRSA");
            }
            if (!missing.isEmpty()) {
                throw new Reject("InfosFoyerRSA lacks required element(s) " + String.join(", ", missing)
                        + " (VRSB0801 requires IdentificationRSA, Personne 1..n, DonneesAdministratives, PrestationRSA)");
            }
            String fonorg = idRsa.text("Organisme", "FONORG");
            if (!"CAF".equals(fonorg) && !"MSA".equals(fonorg)) {
                throw new Reject("IdentificationRSA/Organisme/FONORG must be CAF or MSA"
                        + (fonorg == null ? " (missing)" : ", got '" + fonorg + "'"));
            }
            String numorg = idRsa.text("Organisme", "NUMORG");
            if (numorg == null || !NUMORG.matcher(numorg).matches()) {
                throw new Reject("IdentificationRSA/Organisme/NUMORG is missing or not a 3-character organisation number");
            }
            String mat = idRsa.text("Organisme", "MATRICULE");
            if (mat == null) {
                throw new Reject("IdentificationRSA/Organisme/MATRICULE is missing");
            }
            Matricule matricule;
            try {
                matricule = Matricule.parse(mat);
            } catch (IllegalArgumentException e) {
                throw new Reject("IdentificationRSA/Organisme/MATRICULE is invalid: " + e.getMessage());
            }
            String org = fonorg + " " + numorg;
            if (organisation == null) {
                organisation = org;
            } else if (!organisation.equals(org) && !organisation.equals("several")) {
                organisation = "several";
            }

            XmlNode sit = prest.child("SituationDossierRSA");
            String state = sit == null ? null : sit.text("EtatDossierRSA", "ETATDOSRSA");
            if (state == null || !VrsbCodes.RIGHT_STATES.containsKey(state)) {
                throw new Reject("PrestationRSA/SituationDossierRSA/EtatDossierRSA/ETATDOSRSA is "
                        + (state == null ? "missing" : "'" + state + "', not a code 0..6"));
            }
            ObjectNode s = JSON.objectNode();
            ObjectNode fund = s.putObject("fund");
            fund.put("kind", fonorg.equals("CAF") ? "caf" : "msa");
            fund.put("code", numorg);
            String numdem = idRsa.text("DemandeRSA", "NUMDEMRSA");
            if (numdem != null && REQUEST_NUMBER.matcher(numdem).matches()) {
                s.put("requestNumber", numdem);
            }
            String dtdem = idRsa.text("DemandeRSA", "DTDEMRSA");
            if (dtdem != null) {
                s.put("requestDate", date(dtdem, "IdentificationRSA/DemandeRSA/DTDEMRSA"));
            }
            if (referenceDate != null) {
                s.put("referenceDate", referenceDate);
            }
            s.put("rightState", VrsbCodes.RIGHT_STATES.get(state));
            s.put("rightStateCode", state);
            // role, roleCode and rightsAndDuties are per person: added in mapPerson, order fixed there

            ArrayNode suspensions = JSON.arrayNode();
            for (XmlNode sd : sit.all("SuspensionDroit")) {
                String code = sd.text("MOTISUSDRORSA");
                if (code == null || !REASON_CODE.matcher(code).matches()) {
                    throw new Reject("SuspensionDroit/MOTISUSDRORSA is " + (code == null ? "missing" : "'" + code
                            + "', not a 2-character code"));
                }
                ObjectNode o = suspensions.addObject();
                o.put("scope", "right");
                o.put("reasonCode", code);
                String since = sd.text("DDSUSDRORSA");
                if (since != null) {
                    o.put("since", date(since, "SuspensionDroit/DDSUSDRORSA"));
                }
            }
            for (XmlNode sv : sit.all("SuspensionVersement")) {
                String code = sv.text("MOTISUSVERSRSA");
                if (code == null || !VrsbCodes.PAYMENT_SUSPENSION_REASONS.contains(code)) {
                    throw new Reject("SuspensionVersement/MOTISUSVERSRSA is " + (code == null ? "missing"
                            : "'" + code + "', not in the SPIE list of payment suspension reasons"));
                }
                ObjectNode o = suspensions.addObject();
                o.put("scope", "payment");
                o.put("reasonCode", code);
                String since = sv.text("DDSUSVERSRSA");
                if (since != null) {
                    o.put("since", date(since, "SuspensionVersement/DDSUSVERSRSA"));
                }
            }
            XmlNode fin = sit.child("FinDroit");
            String finName = "FinDroit";
            if (fin == null) {
                fin = sit.child("FinDroitMoisAnterieur");
                finName = "FinDroitMoisAnterieur";
            }
            ObjectNode closure = null;
            if (fin != null) {
                String code = fin.text("MOTICLORSA");
                if (code == null || !VrsbCodes.CLOSURE_REASONS.contains(code)) {
                    throw new Reject(finName + "/MOTICLORSA is " + (code == null ? "missing"
                            : "'" + code + "', not in the SPIE list of closure reasons"));
                }
                closure = JSON.objectNode();
                closure.put("reasonCode", code);
                String d = fin.text("DTCLORSA");
                if (d != null) {
                    closure.put("date", date(d, finName + "/DTCLORSA"));
                }
            }
            s.put("rightsAndDuties", false); // placeholder keeps field order; replaced or removed per person
            if (!suspensions.isEmpty()) {
                s.set("suspensions", suspensions);
            }
            if (closure != null) {
                s.set("closure", closure);
            }
            XmlNode tronc = prest.at("DetailDroitRSA", "TroncCommunDroitRSA");
            Boolean homeless = tronc == null ? null : bool(tronc.text("TOPSANSDOMFIXE"));
            if (homeless != null) {
                s.put("homeless", homeless);
            }
            ObjectNode household = JSON.objectNode();
            String sitfam = admin.text("SituationFamille", "SITFAM");
            if (sitfam != null && FAMILY_SITUATION.matcher(sitfam).matches()) {
                household.put("familySituationCode", sitfam);
            }
            int adults = 0;
            int children = 0;
            for (XmlNode p : persons) {
                String role = rsaRole(p);
                if ("DEM".equals(role) || "CJT".equals(role)) {
                    adults++;
                } else if ("ENF".equals(role)) {
                    children++;
                }
            }
            if (adults >= 1 && adults <= 20) {
                household.put("adults", adults);
            }
            String nbenf = tronc == null ? null : tronc.text("NBENFAUTCHA");
            Integer declaredChildren = null;
            if (nbenf != null) {
                try {
                    declaredChildren = Integer.parseInt(nbenf);
                } catch (NumberFormatException e) {
                    throw new Reject("TroncCommunDroitRSA/NBENFAUTCHA is not a number");
                }
            }
            int nChildren = declaredChildren != null ? declaredChildren : children;
            if (nChildren >= 0 && nChildren <= 30) {
                household.put("children", nChildren);
            }
            if (!household.isEmpty()) {
                s.set("household", household);
            }
            return new Household(fonorg, numorg, matricule, s, address(admin));
        }

        private ObjectNode address(XmlNode admin) {
            XmlNode fr = admin.at("Adresse", "AdresseDetailleeFrance");
            if (fr == null) {
                return null;
            }
            ObjectNode a = JSON.objectNode();
            String cp = fr.text("CODEPOS");
            if (cp != null && cp.length() < 5 && cp.chars().allMatch(Character::isDigit)) {
                cp = "0".repeat(5 - cp.length()) + cp; // xsd:integer drops leading zeros (01000 → 1000)
            }
            if (cp != null && POSTAL_CODE.matcher(cp).matches()) {
                a.put("postalCode", cp);
            }
            String com = fr.text("NUMCOM");
            if (com != null) {
                com = com.toUpperCase(java.util.Locale.ROOT);
                if (COMMUNE_CODE.matcher(com).matches()) {
                    a.put("communeCode", com);
                }
            }
            String name = fr.text("NOMCOM");
            if (name != null && name.length() <= MAX_NAME) {
                a.put("communeName", name);
            }
            if ("FRA".equals(admin.text("Adresse", "TroncCommunAdresse", "PAYS"))) {
                a.put("countryCode", "99100");
            }
            return a.isEmpty() ? null : a;
        }

        private void mapPerson(XmlNode p, Household h, String loc) throws Reject {
            XmlNode id = p.child("Identification");
            if (id == null) {
                throw new Reject("Personne lacks Identification");
            }
            String birthName = name(id.text("NOMNAI"), "Identification/NOMNAI (birth name)", true);
            String usageName = name(id.text("NOM"), "Identification/NOM (usage name)", false);
            String given1 = name(id.text("PRENOM"), "Identification/PRENOM (given name)", true);
            String given2 = name(id.text("PRENOM2"), "Identification/PRENOM2", false);
            String given3 = name(id.text("PRENOM3"), "Identification/PRENOM3", false);
            String dtnai = id.text("DTNAI");
            if (dtnai == null) {
                throw new Reject("Identification/DTNAI (birth date) is missing");
            }
            String birthDate = date(dtnai, "Identification/DTNAI (birth date)");
            String sexe = id.text("SEXE");
            String sex = "1".equals(sexe) ? "M" : "2".equals(sexe) ? "F" : null;
            String nirText = id.text("NIR");
            Nir nir = null;
            if (nirText != null) {
                try {
                    nir = Nir.parse(nirText);
                } catch (IllegalArgumentException e) {
                    throw new Reject("Identification/NIR is malformed: " + e.getMessage());
                }
                if (nir.hasKey() && !nir.hasValidKey()) {
                    throw new Reject("Identification/NIR has 15 characters but a wrong key (97 - n mod 97): "
                            + "not mapped, so that a mistyped NIR is never matched to someone else");
                }
                if (!nir.conformsToSpieSchema()) {
                    nir = null; // e.g. a temporary NIA (sex digit 7/8): not carried by the SPIE schema
                    nirOmitted++;
                }
            }
            String roleCode = rsaRole(p);
            if (roleCode != null && !VrsbCodes.ROLES.containsKey(roleCode)) {
                throw new Reject("Prestations/ROLEPERS is '" + roleCode + "', not DEM, CJT, ENF or AUT");
            }
            Boolean rightsAndDuties = bool(p.text("MontantCalculDroitRSAPersonne", "TOPPERSDRODEVORSA"));

            ArrayNode identifiers = JSON.arrayNode();
            String scheme = h.fonorg.equals("CAF") ? "caf-matricule" : "msa-matricule";
            String issuer = h.fonorg + " " + h.numorg;
            addIdentifier(identifiers, scheme, h.matricule.normalised(), issuer);
            if (!h.matricule.normalised().equals(h.matricule.fluxForm())) {
                addIdentifier(identifiers, scheme, h.matricule.fluxForm(), issuer);
            }
            String ft = p.text("DossierPoleEmploi", "IDASSEDIC");
            if (ft != null) {
                ft = ft.toUpperCase(java.util.Locale.ROOT);
                if (FT_ID.matcher(ft).matches()) {
                    addIdentifier(identifiers, "france-travail-id", ft, null);
                }
            }

            ObjectNode subject = JSON.objectNode();
            if (nir != null) {
                subject.put("nir", nir.value());
            }
            subject.put("birthName", birthName);
            if (usageName != null) {
                subject.put("usageName", usageName);
            }
            ArrayNode givenNames = subject.putArray("givenNames");
            givenNames.add(given1);
            if (given2 != null) {
                givenNames.add(given2);
            }
            if (given3 != null) {
                givenNames.add(given3);
            }
            subject.put("birthDate", birthDate);
            if (sex != null) {
                subject.put("sex", sex);
            }
            subject.set("identifiers", identifiers);

            ObjectNode person = JSON.objectNode();
            if (nir != null) {
                person.put("nir", nir.value());
            }
            person.put("birthName", birthName);
            if (usageName != null) {
                person.put("usageName", usageName);
            }
            person.set("givenNames", givenNames.deepCopy());
            person.put("birthDate", birthDate);
            if (sex != null) {
                person.put("sex", sex);
            }
            if (h.address != null) {
                person.putObject("contact").set("address", h.address.deepCopy());
            }
            person.set("identifiers", identifiers.deepCopy());

            ObjectNode situation = JSON.objectNode();
            for (Map.Entry<String, tools.jackson.databind.JsonNode> e : h.situation.properties()) {
                String k = e.getKey();
                if (k.equals("rightsAndDuties")) {
                    if (roleCode != null) {
                        situation.put("role", VrsbCodes.ROLES.get(roleCode));
                        situation.put("roleCode", roleCode);
                    }
                    if (rightsAndDuties != null) {
                        situation.put("rightsAndDuties", rightsAndDuties);
                    }
                } else {
                    situation.set(k, e.getValue().deepCopy());
                }
            }

            String changeKey = "cnaf:" + h.fonorg + ":" + h.numorg + ":" + h.matricule.normalised() + ":"
                    + (roleCode == null ? "-" : roleCode) + ":"
                    + (nir != null ? "nir-" + digest(nir.first13())
                    : "id-" + digest(Names.key(birthName) + "|" + Names.key(given1) + "|" + birthDate));
            sink.accept(new SpieRecord("person", subject, person, loc, changeKey));
            sink.accept(new SpieRecord("rsa-situation", subject.deepCopy(), situation, loc, changeKey));
            records += 2;
        }

        private void addIdentifier(ArrayNode ids, String scheme, String value, String issuer) {
            ObjectNode o = ids.addObject();
            o.put("scheme", scheme);
            o.put("value", value);
            if (issuer != null) {
                o.put("issuer", issuer);
            }
        }

        /** Pseudonymous person part of the change key: 16 hex characters of SHA-256, never the NIR in clear. */
        private String digest(String s) {
            byte[] d = sha256.digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                sb.append(Character.forDigit((d[i] >> 4) & 0xF, 16)).append(Character.forDigit(d[i] & 0xF, 16));
            }
            return sb.toString();
        }
    }

    /** ROLEPERS of the person's RSA Prestations block (NATPREST=RSA), else of the first Prestations block. */
    private static String rsaRole(XmlNode p) {
        String first = null;
        for (XmlNode pr : p.children()) {
            if (!pr.name.equals("Prestations")) {
                continue;
            }
            String role = pr.text("ROLEPERS");
            if ("RSA".equals(pr.text("NATPREST"))) {
                return role;
            }
            if (first == null) {
                first = role;
            }
        }
        return first;
    }

    private static String name(String value, String what, boolean required) throws Reject {
        if (value == null) {
            if (required) {
                throw new Reject(what + " is missing");
            }
            return null;
        }
        if (value.length() > MAX_NAME) {
            throw new Reject(what + " is longer than " + MAX_NAME + " characters");
        }
        return value;
    }

    private static String date(String value, String what) throws Reject {
        try {
            // xsd:date may carry a time zone (2022-02-28Z, 2022-02-28+01:00): the calendar date is what counts
            String d = value.length() > 10 && (value.charAt(10) == 'Z' || value.charAt(10) == '+'
                    || value.charAt(10) == '-') ? value.substring(0, 10) : value;
            return LocalDate.parse(d).toString();
        } catch (DateTimeParseException e) {
            throw new Reject(what + " is not a date (YYYY-MM-DD)");
        }
    }

    /** xsd:boolean: 1/true and 0/false; anything else (or missing) is unknown. */
    private static Boolean bool(String v) {
        if (v == null) {
            return null;
        }
        return switch (v) {
            case "1", "true" -> Boolean.TRUE;
            case "0", "false" -> Boolean.FALSE;
            default -> null;
        };
    }
}

package fr.spie.connector.caf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.UnreadableInputException;
import fr.spie.connector.testing.CollectingSink;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** Hostile or broken inputs: refused as a whole with a located reason, nothing leaked. */
class HardeningTest {

    static final Path MONTHLY = Paths.get("src/test/resources/fixtures/caf-monthly-suspensions.xml");
    static final Charset CP1252 = Charset.forName("windows-1252");

    private static UnreadableInputException refuse(String xml, Charset cs) {
        CollectingSink sink = new CollectingSink();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() ->
                new CnafBeneficiairesConnector().read(new ByteArrayInputStream(xml.getBytes(cs)), sink));
        assertThat(t).isInstanceOf(UnreadableInputException.class);
        return (UnreadableInputException) t;
    }

    private static String monthly() throws Exception {
        return new String(Files.readAllBytes(MONTHLY), CP1252);
    }

    @Test
    void xxeIsRefusedAndNothingIsRead() {
        String xxe = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE Racine [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
                <Racine><IdentificationFlux><TYPEFLUX>M</TYPEFLUX></IdentificationFlux>
                <InfosFoyerRSA><IdentificationRSA><Organisme><FONORG>CAF</FONORG><NUMORG>511</NUMORG>
                <MATRICULE>1</MATRICULE></Organisme></IdentificationRSA>
                <Personne><Identification><NOM>&xxe;</NOM></Identification></Personne></InfosFoyerRSA>
                <TransmissionFlux><NBTOTDOSRSATRANSM>1</NBTOTDOSRSATRANSM></TransmissionFlux></Racine>
                """;
        UnreadableInputException e = refuse(xxe, StandardCharsets.UTF_8);
        assertThat(e.getMessage()).contains("DTDs are not accepted").doesNotContain("root:");
        assertThat(e.location()).contains("prolog");
    }

    @Test
    void billionLaughsIsRefusedWithoutExpansion() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE Racine [\n <!ENTITY lol \"lol\">\n");
        dtd.append(" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (int i = 2; i <= 9; i++) {
            dtd.append(" <!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        dtd.append("]>\n");
        String bomb = "<?xml version=\"1.0\"?>\n" + dtd + "<Racine><IdentificationFlux><TYPEFLUX>&lol9;</TYPEFLUX>"
                + "</IdentificationFlux></Racine>";
        long t0 = System.nanoTime();
        UnreadableInputException e = refuse(bomb, StandardCharsets.UTF_8);
        assertThat(e.getMessage()).contains("DTDs are not accepted");
        assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
    }

    @Test
    void xsdValidatorRefusesDtdsToo() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Racine [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>"
                + "<Racine>&xxe;</Racine>";
        assertThatThrownBy(() -> XsdValidator.vrsb0801().validate(
                new ByteArrayInputStream(xxe.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(UnreadableInputException.class)
                .hasMessageContaining("DTDs are not accepted")
                .hasMessageNotContaining("root:");
    }

    @Test
    void undeclaredEntityIsRefused() throws Exception {
        String xml = monthly().replace("<NOMVOIE>DE VESLE</NOMVOIE>", "<NOMVOIE>&foo;</NOMVOIE>");
        UnreadableInputException e = refuse(xml, CP1252);
        assertThat(e.getMessage()).containsIgnoringCase("entity");
        assertThat(e.location()).contains("line").contains("/Racine/InfosFoyerRSA[1]");
    }

    @Test
    void wrongRootIsRefused() {
        UnreadableInputException e = refuse("<?xml version=\"1.0\"?><fichier-PE-CG><x/></fichier-PE-CG>",
                StandardCharsets.UTF_8);
        assertThat(e.getMessage()).contains("root element is <fichier-PE-CG>, expected <Racine>");
        assertThat(e.location()).contains("/fichier-PE-CG");
    }

    @Test
    void otherFluxUnderRacineIsRefused() {
        UnreadableInputException e = refuse("<?xml version=\"1.0\"?><Racine><IdentificationFlux><TYPEFLUX>I</TYPEFLUX>"
                + "</IdentificationFlux><InfoDemandeRSA/></Racine>", StandardCharsets.UTF_8);
        assertThat(e.getMessage()).contains("unexpected element <InfoDemandeRSA>");
        assertThat(e.location()).contains("/Racine/InfoDemandeRSA");
    }

    @Test
    void truncatedFileIsRefusedWithLocation() throws Exception {
        String xml = monthly();
        String truncated = xml.substring(0, xml.indexOf("<NOMCOM>AJACCIO"));
        UnreadableInputException e = refuse(truncated, CP1252);
        assertThat(e.getMessage()).containsAnyOf("truncated", "malformed XML");
        assertThat(e.location()).contains("line").contains("/Racine/InfosFoyerRSA[2]");
    }

    @Test
    void missingTransmissionFluxIsRefused() throws Exception {
        String xml = monthly();
        String cut = xml.substring(0, xml.indexOf("<TransmissionFlux>")) + "</Racine>";
        assertThat(refuse(cut, CP1252).getMessage()).contains("TransmissionFlux is missing");
    }

    @Test
    void wrongEncodingIsRefused() throws Exception {
        // declared UTF-8 but windows-1252 bytes (É = 0xC9 alone is not UTF-8)
        String xml = monthly().replace("encoding=\"windows-1252\"", "encoding=\"UTF-8\"");
        UnreadableInputException e = refuse(xml, CP1252);
        assertThat(e.getMessage()).contains("malformed XML");
        assertThat(e.location()).contains("line");
    }

    @Test
    void utf8BytesDeclaredAsWindows1252AreRefusedNotReadAsMojibake() throws Exception {
        // re-encoded as UTF-8 by a tool that kept the declaration: LEFÈVRE would be read as LEFÃˆVRE
        String xml = monthly();
        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"windows-1252\"?>").contains("LEFÈVRE");
        UnreadableInputException e = refuse(xml, StandardCharsets.UTF_8);
        assertThat(e.getMessage()).contains("declares encoding=\"windows-1252\" but its bytes are UTF-8");
        assertThat(e.location()).isEqualTo("prolog");
        // an ASCII-only file may declare any single-byte encoding
        String ascii = xml.replace("È", "E").replace("Ë", "E").replace("É", "E");
        new CnafBeneficiairesConnector().read(new ByteArrayInputStream(ascii.getBytes(StandardCharsets.UTF_8)),
                new CollectingSink());
    }

    @Test
    void unknownEncodingIsRefused() {
        UnreadableInputException e = refuse("<?xml version=\"1.0\" encoding=\"x-nope-42\"?><Racine/>",
                StandardCharsets.US_ASCII);
        assertThat(e.getMessage()).containsAnyOf("not readable as XML", "malformed XML");
    }

    @Test
    void declaredEncodingIsHonoured() throws Exception {
        CollectingSink sink = new CollectingSink();
        try (InputStream in = Files.newInputStream(MONTHLY)) {
            new CnafBeneficiairesConnector().read(in, sink);
        }
        assertThat(sink.records.get(0).subject().get("birthName").asString()).isEqualTo("LEFÈVRE");
        assertThat(sink.records.get(0).subject().get("givenNames").get(1).asString()).isEqualTo("MARIE-NOËL");
        // the same file re-encoded as UTF-8 gives the same records
        String utf8 = monthly().replace("encoding=\"windows-1252\"", "encoding=\"UTF-8\"");
        CollectingSink sink2 = new CollectingSink();
        new CnafBeneficiairesConnector().read(new ByteArrayInputStream(utf8.getBytes(StandardCharsets.UTF_8)), sink2);
        assertThat(sink2.records).hasSameSizeAs(sink.records);
        assertThat(sink2.records.get(0).subject()).isEqualTo(sink.records.get(0).subject());
    }

    @Test
    void declaredCountMismatchRefusesTheFileSayingBothNumbers() throws Exception {
        String xml = monthly().replace("<NBTOTDOSRSATRANSM>00000002<", "<NBTOTDOSRSATRANSM>00000005<");
        UnreadableInputException e = refuse(xml, CP1252);
        assertThat(e.getMessage()).contains("declares 5 dossier(s)").contains("2 InfosFoyerRSA were read");
        assertThat(e.location()).isEqualTo("/Racine/TransmissionFlux");
    }

    @Test
    void declaredCountMismatchCanBeOnlyReported() throws Exception {
        String xml = monthly().replace("<NBTOTDOSRSATRANSM>00000002<", "<NBTOTDOSRSATRANSM>00000005<");
        CollectingSink sink = new CollectingSink();
        ReadSummary s = new CnafBeneficiairesConnector(CnafBeneficiairesConnector.DeclaredCountPolicy.REPORT)
                .read(new ByteArrayInputStream(xml.getBytes(CP1252)), sink);
        assertThat(s.facts()).containsEntry("declaredCountMismatch", "true").containsEntry("declaredDossiers", "5")
                .containsEntry("readDossiers", "2");
        assertThat(sink.records).hasSize(8);
    }

    @Test
    void countsSentInTheAnomalyFluxAreAllowedFor() throws Exception {
        String xml = monthly().replace("<NBTOTDOSRSATRANSM>00000002<", "<NBTOTDOSRSATRANSM>00000003<")
                .replace("<NBTOTDOSRSATRANSMANO>00000000<", "<NBTOTDOSRSATRANSMANO>00000001<");
        ReadSummary s = new CnafBeneficiairesConnector()
                .read(new ByteArrayInputStream(xml.getBytes(CP1252)), new CollectingSink());
        assertThat(s.nativeRecords()).isEqualTo(2);
    }

    @Test
    void oversizedTextIsRefused() throws Exception {
        String xml = monthly().replace("<NOMVOIE>DE VESLE</NOMVOIE>", "<NOMVOIE>" + "A".repeat(100_000) + "</NOMVOIE>");
        assertThat(refuse(xml, CP1252).getMessage()).contains("longer than");
    }

    @Test
    void nirNeverAppearsInRejectionReasons() throws Exception {
        CollectingSink sink = new CollectingSink();
        try (InputStream in = Files.newInputStream(Paths.get("src/test/resources/fixtures/caf-daily-closures.xml"))) {
            new CnafBeneficiairesConnector().read(in, sink);
        }
        assertThat(sink.rejections).singleElement().satisfies(r -> {
            assertThat(r.location()).isEqualTo("/Racine/InfosFoyerRSA[2]/Personne[2]");
            assertThat(r.reason()).contains("wrong key").doesNotContain("1760592050123");
        });
        assertThat(sink.records).allSatisfy(r -> assertThat(r.changeKey()).doesNotContainPattern("[0-9]{13}"));
    }
}

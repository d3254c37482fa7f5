package fr.spie.connector.departement;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.connector.ReadSummary;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.testing.CollectingSink;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The carnet de bord mapping drops an e-mail that is not one ({@code onInvalid: drop}) so that the person record stays
 * valid: an address the SPIE schema's {@code email} format refuses must be dropped by the mapping, not passed on.
 */
class CarnetDeBordEmailTest {

    private static final String HEADER = "Identifiant dans le SI*;Prénom*;Nom*;Date de naissance*;Email";

    private static CollectingSink read(List<String> emails, ReadSummary[] summary) throws Exception {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < emails.size(); i++) {
            csv.append("E").append(i).append(";Jo;Roy;01/01/1990;").append(emails.get(i)).append('\n');
        }
        CollectingSink c = new CollectingSink();
        summary[0] = new ConfigurableFileConnector()
                .read(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), c);
        return c;
    }

    @Test
    void mistypedAddressesAreDroppedAndThePersonRecordStaysValid() throws Exception {
        List<String> typos = List.of("jean..dupont@orange.fr", "jean.@orange.fr", ".jean@orange.fr",
                "jean@orange.fr.", "jean@orange..fr", "jean,dupont@orange.fr", "jean@orange.f", "jean@-orange.fr",
                "jean@orange_sa.fr", "jean(dupont)@orange.fr", "o'brien@orange.fr");
        ReadSummary[] summary = new ReadSummary[1];

        CollectingSink c = read(typos, summary);

        assertThat(c.rejections).isEmpty();
        assertThat(c.records).hasSize(typos.size());
        assertThat(c.records).extracting(SpieRecord::payload).allSatisfy(p -> assertThat(p.has("contact")).isFalse());
        assertThat(summary[0].facts()).containsEntry("droppedValues", Integer.toString(typos.size()));
        assertThat(c.schemaViolations()).isEmpty();
    }

    @Test
    void wellFormedAddressesAreKept() throws Exception {
        List<String> good = List.of("charlotte@laposte.fr", "LEA.MARTIN@marne.fr", "jean-pierre.dupont+cer@cd26.fr",
                "élodie@orange.fr", "sofia@cd26.gouv.fr");
        ReadSummary[] summary = new ReadSummary[1];

        CollectingSink c = read(good, summary);

        assertThat(c.rejections).isEmpty();
        assertThat(c.records).extracting(r -> r.payload().at("/contact/email").asString()).containsExactlyElementsOf(good);
        assertThat(summary[0].facts()).containsEntry("droppedValues", "0");
        assertThat(c.schemaViolations()).isEmpty();
    }
}

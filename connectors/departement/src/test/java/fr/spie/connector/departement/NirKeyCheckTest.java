package fr.spie.connector.departement;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.connector.RecordRejection;
import fr.spie.connector.SpieRecord;
import fr.spie.connector.testing.CollectingSink;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A département file's NIR of 15 characters is checked against its key (FORMATS.md §10: "NIR appears as 13 chars (no
 * key) in the flux fixtures and 15 elsewhere; RDV-I computes/validates the key; match on the first 13"), as the CAF
 * connector does: a mistyped NIR with a wrong key must not reach the subject, where its 13 first characters would
 * match someone else.
 */
class NirKeyCheckTest {

    private static final String HEADER = "Identifiant dans le SI*;Prénom*;Nom*;Date de naissance*;NIR";

    @Test
    void aNirWithAWrongKeyRejectsTheLineAndTheOthersAreMapped() throws Exception {
        String csv = HEADER + "\n"
                + "K1;Sophie;Tifour;01/02/1982;2820251108030\n"     // 13 characters: no key to check
                + "K2;Sophie;Tifour;01/02/1982;282025110803094\n"   // key 94: right
                + "K3;Sophie;Tifour;01/02/1982;282025110803049\n"   // key 49: wrong (a typo somewhere)
                + "K4;Noel;Keller;23/03/1977;1 77 03 93 050 005 66\n"; // spaces, right key
        CollectingSink c = new CollectingSink();
        new ConfigurableFileConnector().read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), c);

        assertThat(c.rejections).containsExactly(new RecordRejection("line 4", "column 'NIR': a NIR of 15 characters"
                + " whose key (the last 2) does not match the 13 first: mistyped, never matched to anyone"));
        assertThat(c.records).extracting(SpieRecord::changeKey).containsExactly("dep:K1", "dep:K2", "dep:K4");
        assertThat(c.records).extracting(r -> r.subject().get("nir").asString())
                .containsExactly("2820251108030", "282025110803094", "177039305000566");
        assertThat(c.schemaViolations()).isEmpty();
    }
}

package fr.spie.connector.missionlocale;

import fr.spie.connector.InboundConnector;
import fr.spie.connector.ReadSummary;
import fr.spie.connector.RecordSink;
import fr.spie.connector.UnreadableInputException;
import java.io.InputStream;

/**
 * Reads i-milo dossiers ({@code DossierMiloDto} of {@code GET /sue/dossiers/{idDossier}}): one JSON object, a JSON
 * array of them, or JSON Lines (several top-level objects). Streams with Jackson's parser: one dossier in memory at a
 * time.
 *
 * <p>Each dossier gives a {@code person} (nomNaissance, nomUsage, prenom, dateNaissance, mail, adresse; identifiers
 * imilo-dossier-id = idDossier, imilo-jeune-id = idJeune, france-travail-id = numeroDE) and, when the dossier has an
 * accompaniment with a start date, a {@code youth-support} (accompagnementCEJ true: CEJ; false with a dateDebut:
 * PACEA, the contractual framework of mission locale support; situations and structureRattachement). Change key
 * {@code milo:<idDossier>}; location {@code line N} (JSON Lines / single object) or {@code [i] line N} (array).
 *
 * <p>A dossier without idDossier, names or a valid birth date is rejected as a whole. A problem limited to the
 * accompaniment (unknown situation category or state, CEJ without start date, no structure) rejects only the
 * youth-support part, at a location naming the field ({@code line N /situations/0/categorieSituation}); the person is
 * still emitted. Invalid e-mail, postal code or ROME code are dropped (counted in the facts). Broken JSON makes the
 * input unreadable.
 *
 * <p>{@link DossierStream} reads the dossiers, {@link DossierEmitter} passes each one's records to the sink
 * ({@link PersonMapper}, {@link ContactMapper}, {@link YouthSupportMapper}, {@link SituationMapper}) and
 * {@link ReadCounters} makes the summary.
 */
public final class ImiloDossierConnector implements InboundConnector {

    public static final String FORMAT = "imilo-dossier-json";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public ReadSummary read(InputStream input, RecordSink sink) throws UnreadableInputException {
        ReadCounters counts = new ReadCounters();
        String shape = DossierStream.read(input, new DossierEmitter(sink, counts));
        return counts.summary(shape);
    }
}

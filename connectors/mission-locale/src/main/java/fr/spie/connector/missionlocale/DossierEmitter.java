package fr.spie.connector.missionlocale;

import fr.spie.connector.RecordRejection;
import fr.spie.connector.RecordSink;
import fr.spie.connector.SpieRecord;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Passes what each dossier of a read gives to the sink, in order, and counts it: the dossier's rejection, or its
 * {@code person} then its {@code youth-support} (or the rejections of the youth-support part alone).
 */
final class DossierEmitter implements DossierStream.Handler {

    private final RecordSink sink;
    private final ReadCounters counts;
    private final PersonMapper persons;
    private final YouthSupportMapper youthSupports;

    DossierEmitter(RecordSink sink, ReadCounters counts) {
        this.sink = sink;
        this.counts = counts;
        this.persons = new PersonMapper(counts);
        this.youthSupports = new YouthSupportMapper(counts);
    }

    @Override
    public void notAnObject(String location) {
        counts.dossiers++;
        counts.rejected++;
        sink.reject(new RecordRejection(location, "not a JSON object (an i-milo dossier is an object)"));
    }

    @Override
    public void dossier(ObjectNode d, String location) {
        counts.dossiers++;
        List<String> errors = new ArrayList<>();
        SpieRecord person = persons.person(d, location, errors);
        if (person == null) {
            counts.rejected++;
            sink.reject(new RecordRejection(location, String.join("; ", errors)));
            return;
        }
        counts.records++;
        sink.accept(person);

        List<RecordRejection> partial = new ArrayList<>();
        ObjectNode support = youthSupports.youthSupport(d, location, partial);
        if (!partial.isEmpty()) {
            counts.rejected += partial.size();
            partial.forEach(sink::reject);
        } else if (support == null) {
            counts.withoutSupport++;
        } else {
            counts.records++;
            sink.accept(new SpieRecord("youth-support", person.subject().deepCopy(), support, location, person.changeKey()));
        }
    }
}

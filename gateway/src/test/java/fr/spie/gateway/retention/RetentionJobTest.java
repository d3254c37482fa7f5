package fr.spie.gateway.retention;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.cluster.LeaderElection;
import fr.spie.gateway.files.ReceivedFileRetention;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which parts of the retention job an instance runs: its own files' bytes always, the rest only as the leader. */
class RetentionJobTest {
    private final List<String> ran = new ArrayList<>();

    @Test
    void aStandbyInstanceDeletesTheBytesOfItsOwnFilesOnly() {
        job(new LeaderElection(() -> null, true, 1, Duration.ofSeconds(2))).run(Instant.now());

        assertThat(ran).containsExactly("files");
    }

    @Test
    void theLeaderAlsoDeletesTheCopiesTheAppointmentIdsAndTheSubjectsOfEndedConsents() {
        LeaderElection alone = new LeaderElection(() -> null, false, 1, Duration.ofSeconds(2));
        alone.start();   // not PostgreSQL: leads at once

        job(alone).run(Instant.now());

        assertThat(ran).containsExactly("files", "payloads", "appointments", "consent subjects");
    }

    private RetentionJob job(LeaderElection election) {
        PayloadRetention payloads = new PayloadRetention(null, null, null, null, Duration.ofDays(90)) {
            @Override
            public int purge(Instant now) {
                ran.add("payloads");
                return 0;
            }
        };
        FranceTravailAppointmentRetention appointments = new FranceTravailAppointmentRetention(null,
                Duration.ofDays(400)) {
            @Override
            public int purge(Instant now) {
                ran.add("appointments");
                return 0;
            }
        };
        ReceivedFileRetention files = new ReceivedFileRetention(null, null, Duration.ofDays(90)) {
            @Override
            public int purge(Instant now) {
                ran.add("files");
                return 0;
            }
        };
        ConsentSubjectRetention consentSubjects = new ConsentSubjectRetention(null, null, null, Duration.ofDays(90)) {
            @Override
            public int purge(Instant now) {
                ran.add("consent subjects");
                return 0;
            }
        };
        return new RetentionJob(payloads, appointments, files, consentSubjects, Duration.ofHours(1), election);
    }
}

package fr.spie.gateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * spie_files_records_total is a counter: it must never go down, or Prometheus takes the drop for a restart and its
 * rate counts every record of every file once more. The files' counts it adds up do go down when a file is read again
 * from its beginning (after a crash or a stop: records_done back to 0).
 */
class FileMetricsTest {

    @Test
    void theRecordsCounterNeverGoesDownWhenAFileIsReadAgainFromItsBeginning() {
        // SUM(records_done) as the database gives it, scrape after scrape
        Deque<Object> sums = new ArrayDeque<>();
        JdbcTemplate database = new JdbcTemplate() {
            @Override
            public <T> T queryForObject(String sql, Class<T> type) {
                Object next = sums.removeFirst();
                if (next instanceof RuntimeException e) {
                    throw e;
                }
                return type.cast(next);
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new FileMetrics(database).bindTo(registry);

        sums.add(100L);
        assertThat(records(registry)).isEqualTo(100);
        sums.add(130L);
        assertThat(records(registry)).isEqualTo(130);
        sums.add(40L); // a file of 90 records done restarts from its beginning
        assertThat(records(registry)).isEqualTo(130);
        sums.add(new DataAccessResourceFailureException("database down"));
        assertThat(records(registry)).isEqualTo(130);
        sums.add(150L);
        assertThat(records(registry)).isEqualTo(150);
    }

    private static double records(SimpleMeterRegistry registry) {
        return registry.get("spie.files.records").functionCounter().count();
    }
}

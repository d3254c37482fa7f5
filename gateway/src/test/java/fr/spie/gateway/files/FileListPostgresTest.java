package fr.spie.gateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.it.prod.PostgresServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** The list of files on a real PostgreSQL: the V12_2 indexes, keyset pages (UUIDs ordered unsigned), filters. */
class FileListPostgresTest {
    private static PostgresServer postgres;
    private static JdbcTemplate jdbc;
    private static ReceivedFileStore store;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start(PostgresServer.newDirectory("pg"));
        String url = postgres.createDatabase("file_list");
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), url,
                PostgresServer.USER, "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/postgresql")
                .load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        store = new ReceivedFileStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                null);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void everyCursorTakenCanBeListedOnPostgresTheOthersAreRefusedBeforeTheDatabase() {
        int listed = 0;
        List<String> cursors = new ArrayList<>(HostileFileListCursors.all());
        for (String bound : List.of("0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z")) {
            cursors.add(new FileListCursor(Instant.parse(bound), UUID.randomUUID()).encode());
        }
        for (String text : cursors) {
            FileListCursor cursor;
            try {
                cursor = FileListCursor.decode(text);
            } catch (RuntimeException refused) {
                continue; // FileListQuery answers 400 invalid-parameter
            }
            assertThat(store.list(null, Set.of(), null, null, cursor, 2)).as(text).isNotNull();
            assertThat(store.list("caf-51", Set.of(FileStatus.RECEIVED), null, null, cursor, 2)).as(text).isNotNull();
            listed++;
        }
        assertThat(listed).as("the years 1 and 9999 are cursors PostgreSQL takes").isEqualTo(2);
    }

    @Test
    void pagesFollowEachOtherNewestFirstWithTiesOrderedByIdAsPostgresOrdersUuids() {
        ReceivedFileRows rows = new ReceivedFileRows(jdbc);
        Instant start = Instant.parse("2031-06-01T00:00:00.123456Z");
        List<UUID> inserted = new ArrayList<>();
        // three files at the same instant, with ids whose high bit differs (signed and unsigned orders differ)
        for (UUID id : List.of(UUID.fromString("f0000000-0000-4000-8000-000000000001"),
                UUID.fromString("10000000-0000-4000-8000-000000000002"),
                UUID.fromString("80000000-0000-4000-8000-000000000003"))) {
            inserted.add(rows.insert(id, "caf-51", "DONE", start, null, null));
        }
        for (int i = 1; i <= 4; i++) {
            inserted.add(rows.insert(i % 2 == 0 ? "caf-51" : "cd-51", "RECEIVED", start.plusSeconds(i), null, null));
        }
        List<UUID> expected = jdbc.queryForList("SELECT file_id FROM received_file ORDER BY received_at DESC, "
                + "file_id DESC", UUID.class);
        assertThat(expected.subList(4, 7)).as("PostgreSQL orders UUIDs unsigned").containsExactly(
                UUID.fromString("f0000000-0000-4000-8000-000000000001"),
                UUID.fromString("80000000-0000-4000-8000-000000000003"),
                UUID.fromString("10000000-0000-4000-8000-000000000002"));

        List<UUID> seen = new ArrayList<>();
        FileListCursor after = null;
        do {
            List<ReceivedFile> page = store.list(null, Set.of(), null, null, after, 2);
            page.forEach(f -> seen.add(f.fileId()));
            after = page.size() < 2 ? null : FileListCursor.decode(FileListCursor.after(page.get(1)).encode());
        } while (after != null);
        assertThat(seen).isEqualTo(expected);

        assertThat(store.list("caf-51", Set.of(FileStatus.RECEIVED), start, start.plus(Duration.ofHours(1)), null,
                10)).extracting(ReceivedFile::fileId).containsExactly(inserted.get(6), inserted.get(4));
        assertThat(store.list(null, Set.of(FileStatus.DONE), start, start.plusNanos(1000), null, 10))
                .as("since inclusive, until exclusive, to the microsecond").hasSize(3);
        assertThat(jdbc.queryForList("SELECT indexname FROM pg_indexes WHERE tablename = 'received_file'",
                String.class)).contains("received_file_received", "received_file_partner_received");
    }
}

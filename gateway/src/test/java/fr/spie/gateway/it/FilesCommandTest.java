package fr.spie.gateway.it;

import static fr.spie.gateway.it.GatewayTestSupport.JSON;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;

import fr.spie.gateway.cli.SpieCli;
import fr.spie.gateway.files.ReceivedFileRows;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code spie-gateway files list|show|quarantine} against the running gateway. The files are rows written directly
 * (ReceivedFileRows), each test in a day of 2032 of its own.
 */
class FilesCommandTest extends RunningGatewayTest {
    private static final AtomicInteger DAYS = new AtomicInteger();

    @Autowired
    JdbcTemplate jdbc;

    private record Run(int exit, String out, String err) {
    }

    private Run cli(String who, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SpieCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = "http://127.0.0.1:" + port;
        all[args.length + 2] = "--token";
        all[args.length + 3] = token(who);
        int exit = cli.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Instant day() {
        return Instant.parse("2032-01-01T00:00:00Z").plus(Duration.ofDays(2L * DAYS.incrementAndGet()))
                .plusSeconds(ThreadLocalRandom.current().nextInt(3600));
    }

    private static String[] window(Instant start, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--since";
        all[args.length + 1] = start.toString();
        all[args.length + 2] = "--until";
        all[args.length + 3] = start.plus(Duration.ofDays(1)).toString();
        return all;
    }

    @Test
    void listFiltersAndFollowsThePagesOnlyWithAll() {
        ReceivedFileRows rows = new ReceivedFileRows(jdbc);
        Instant start = day();
        UUID received = rows.insert("caf-51", "RECEIVED", start.plusNanos(123_456_000), null, null);
        UUID processing = rows.insert("caf-51", "PROCESSING", start.plusSeconds(1), "gw-other",
                Instant.now().plus(Duration.ofHours(1)));
        UUID done = rows.insert("caf-51", "DONE", start.plusSeconds(2), null, null);
        UUID quarantined = rows.insert("cd-51", "QUARANTINED", start.plusSeconds(3), null, null);
        UUID last = rows.insert("ml-reims", "DONE", start.plusSeconds(4), null, null);

        Run unfinished = cli("admin", window(start, "files", "list", "--partner", "caf-51", "--status",
                "RECEIVED,PROCESSING"));
        assertThat(unfinished.exit()).as(unfinished.err()).isZero();
        assertThat(unfinished.out()).contains("RECEIVED AT", "FILE ID", "STATUS", received.toString(),
                processing.toString(), "lease gw-other", "no lease (waits)", "2 file(s)")
                .doesNotContain(done.toString(), quarantined.toString());
        assertThat(unfinished.out().indexOf(processing.toString())).as("newest first")
                .isLessThan(unfinished.out().indexOf(received.toString()));
        String[] lines = unfinished.out().split("\\R");
        int fileIdColumn = lines[0].indexOf("FILE ID");
        assertThat(lines[1].indexOf(processing.toString())).as("columns aligned").isEqualTo(fileIdColumn);
        assertThat(lines[2].indexOf(received.toString())).as("columns aligned after a time with microseconds")
                .isEqualTo(fileIdColumn);

        Run firstPage = cli("admin", window(start, "files", "list", "--limit", "2"));
        assertThat(firstPage.exit()).isZero();
        assertThat(firstPage.out()).contains(last.toString(), quarantined.toString(), "2 file(s) (more: --after ",
                ", or --all)").doesNotContain(done.toString());
        String cursor = firstPage.out().substring(firstPage.out().indexOf("--after ") + 8,
                firstPage.out().indexOf(", or --all"));
        Run secondPage = cli("admin", window(start, "files", "list", "--limit", "2", "--after", cursor));
        assertThat(secondPage.out()).contains(done.toString(), processing.toString(), "2 file(s) (more: ");

        Run all = cli("admin", window(start, "files", "list", "--limit", "2", "--all"));
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out()).contains(received.toString(), processing.toString(), done.toString(),
                quarantined.toString(), last.toString(), "5 file(s)").doesNotContain("more:");
        assertThat(all.out().split("RECEIVED AT", -1)).as("one header").hasSize(2);

        Run json = cli("admin", window(start, "files", "list", "--limit", "2", "--all", "--json"));
        JsonNode whole = JSON.readTree(json.out());
        assertThat(whole.path("items")).hasSize(5);
        assertThat(whole.path("items").get(0).path("fileId").asString()).isEqualTo(last.toString());

        Run partner = cli("caf-51", window(start, "files", "list"));
        assertThat(partner.exit()).isZero();
        assertThat(partner.out()).contains("3 file(s)").doesNotContain(quarantined.toString(), "gw-other");
        Run another = cli("caf-51", window(start, "files", "list", "--partner", "cd-51"));
        assertThat(another.exit()).isEqualTo(1);
        assertThat(another.err()).contains("HTTP 403", "your credential is not the one of partner 'cd-51'");

        Run bad = cli("admin", "files", "list", "--status", "FINISHED");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("HTTP 400", "status: 'FINISHED' is not a file status");
        Run offset = cli("admin", "files", "list", "--since", "2032-01-01T00:00:00+01:00");
        assertThat(offset.exit()).as("the + of an offset reaches the gateway: " + offset.err()).isZero();
    }

    @Test
    void showPrintsTheReportWithItsRejectionsAndWhereAnUnfinishedFileIs() {
        ReceivedFileRows rows = new ReceivedFileRows(jdbc);
        Instant start = day();
        UUID done = rows.insert("caf-51", "DONE", start, null, null);
        UUID waiting = rows.insert("caf-51", "RECEIVED", start.plusSeconds(1), null, null);

        Run shown = cli("admin", "files", "show", done.toString());
        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.out()).contains(done.toString(), "caf-51", "status       DONE (attempts: 1)",
                "records      12: 9 accepted, 2 unchanged, 1 rejected", "progress     12 of 12 records done",
                "rejections   1", "/Racine/InfosFoyerRSA[3]/Personne[1]  Identification/PRENOM (given name) is "
                        + "missing");

        Run unfinished = cli("admin", "files", "show", waiting.toString());
        assertThat(unfinished.out()).contains("status       RECEIVED", "lease        none: no instance is reading",
                "file store " + ReceivedFileRows.ELSEWHERE, "received by instance gw-gone",
                "no running instance uses it");

        jdbc.update("UPDATE received_file SET bytes_deleted_at = ? WHERE file_id = ?",
                Timestamp.from(start.plus(Duration.ofDays(90))), done);
        assertThat(cli("admin", "files", "show", done.toString()).out()).contains("bytes        deleted "
                + start.plus(Duration.ofDays(90)) + " (spie.retention.files after it finished)");

        Run json = cli("admin", "files", "show", done.toString(), "--json");
        assertThat(JSON.readTree(json.out()).path("rejections")).hasSize(1);

        Run unknown = cli("admin", "files", "show", UUID.randomUUID().toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("HTTP 404", "File not found");
        assertThat(cli("cd-51", "files", "show", done.toString()).err()).as("another partner's file").contains(
                "HTTP 404");
    }

    @Test
    void quarantineSettlesAFileNoInstanceReadsAndSaysWhoHoldsTheLeaseOfOneBeingRead() {
        ReceivedFileRows rows = new ReceivedFileRows(jdbc);
        Instant start = day();
        UUID unread = rows.insert("caf-51", "PROCESSING", start, null, null);
        Instant until = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        UUID beingRead = rows.insert("caf-51", "PROCESSING", start.plusSeconds(1), "gw-other", until);

        Run quarantined = cli("admin", "files", "quarantine", unread.toString(), "--reason",
                "pod gw-1 deleted with its volume, ticket OPS-4711");
        assertThat(quarantined.exit()).as(quarantined.err()).isZero();
        assertThat(quarantined.out()).contains("file " + unread + " of caf-51 is now QUARANTINED",
                "quarantined by an administrator before it was read to its end").doesNotContain("OPS-4711");
        assertThat(json(get(port, "/api/v1/files/" + unread, token("admin"))).path("status").asString())
                .isEqualTo("QUARANTINED");

        Run again = cli("admin", "files", "quarantine", unread.toString(), "--reason", "ticket OPS-4711");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("HTTP 409", "is QUARANTINED already");

        Run leased = cli("admin", "files", "quarantine", beingRead.toString(), "--reason", "ticket OPS-4712");
        assertThat(leased.exit()).isEqualTo(1);
        assertThat(leased.err()).contains("not quarantined: file " + beingRead + " is being read by instance gw-other",
                "until " + until, "stop that instance");
        assertThat(json(get(port, "/api/v1/files/" + beingRead, token("admin"))).path("status").asString())
                .isEqualTo("PROCESSING");

        Run noReason = cli("admin", "files", "quarantine", beingRead.toString(), "--reason", " ");
        assertThat(noReason.exit()).isEqualTo(1);
        assertThat(noReason.err()).contains("HTTP 400", "reason");
        Run partner = cli("caf-51", "files", "quarantine", beingRead.toString(), "--reason", "x");
        assertThat(partner.exit()).isEqualTo(1);
        assertThat(partner.err()).contains("HTTP 403");
    }
}

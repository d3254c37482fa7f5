package fr.spie.gateway.lifecycle;

import static fr.spie.gateway.it.GatewayTestSupport.example;
import static fr.spie.gateway.it.GatewayTestSupport.get;
import static fr.spie.gateway.it.GatewayTestSupport.json;
import static fr.spie.gateway.it.GatewayTestSupport.submit;
import static fr.spie.gateway.it.GatewayTestSupport.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.spie.gateway.SpieGatewayMain;
import fr.spie.gateway.cli.SpieCli;
import fr.spie.gateway.it.GatewayTestSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import picocli.CommandLine;
import tools.jackson.databind.node.ObjectNode;

/**
 * The database restored from a backup older than the ledger (docs/operations.md, Backup and restore): the gateway
 * refuses to continue a ledger whose signed entries the database lost, says what to do, and, once the operator
 * accepts the rewind, continues from the database with the loss on the record; the continued ledger verifies.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackupRestoreTest {
    private final WireMockServer recipients = GatewayTestSupport.startRecipient();

    {
        recipients.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)));
    }
    private final Path data = GatewayTestSupport.tempDataDir();

    @AfterEach
    void stopRecipients() {
        recipients.stop();
    }

    @Test
    void aDatabaseRestoredBehindTheLedgerIsRefusedThenContinuedWithTheLossRecorded(CapturedOutput output)
            throws Exception {
        try (ConfigurableApplicationContext first = start()) {
            submitSome(port(first), 2);
            awaitSignedHeadAtLeast(port(first), 4);
        }
        Path backup = GatewayTestSupport.tempDir("spie-db-backup");
        FileSystemUtils.copyRecursively(data.resolve("db"), backup);   // a backup of the stopped gateway's database
        long backedUp = count("SELECT COUNT(*) FROM ledger_entry");

        try (ConfigurableApplicationContext second = start()) {
            submitSome(port(second), 3);
            awaitSignedHeadAtLeast(port(second), backedUp + 6);
        }
        FileSystemUtils.deleteRecursively(data.resolve("db"));
        FileSystemUtils.copyRecursively(backup, data.resolve("db"));  // the restore
        assertThat(count("SELECT COUNT(*) FROM ledger_entry")).isEqualTo(backedUp);

        int before = output.getAll().length();
        assertThatThrownBy(this::start).hasStackTraceContaining("the database holds " + backedUp + " ledger entries");
        assertThat(output.getAll().substring(before))
                .contains("The database is behind the audit ledger, the gateway refuses to start")
                .contains("spie.ledger.accept-rewind-to=" + backedUp)
                .contains("Backup and restore")
                .doesNotContainPattern("\\n\\s+at [a-z]+\\.");

        try (ConfigurableApplicationContext third = start("--spie.ledger.accept-rewind-to=" + backedUp)) {
            submitSome(port(third), 1);
            awaitSignedHeadAtLeast(port(third), backedUp + 3);
        }
        assertThat(count("SELECT COUNT(*) FROM audit_event a JOIN ledger_entry l ON l.seq = a.seq "
                + "WHERE a.event_type = 'LEDGER_REWOUND' AND l.ledger_index >= " + backedUp)).isEqualTo(1);
        try (Connection c = connection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT detail FROM audit_event WHERE event_type = 'LEDGER_REWOUND'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).contains("continues from the database's " + backedUp + " entries")
                    .contains("accept-rewind-to").contains("kept in ledger/rewound-" + backedUp + "-");
        }
        try (var ledgerFiles = Files.list(data.resolve("ledger"))) {
            assertThat(ledgerFiles.map(f -> f.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("rewound-" + backedUp + "-"));
        }
        // a restart without the setting: the continued ledger opens as usual
        try (ConfigurableApplicationContext fourth = start()) {
            assertThat(port(fourth)).isPositive();
        }
        // and what the auditor exports of it verifies
        Path export = GatewayTestSupport.tempDir("spie-rewound-export");
        Files.delete(export);
        assertThat(cli("audit", "export-full", "--data-dir", data.toString(), "--out", export.toString()))
                .isZero();
        assertThat(cli("audit", "verify", export.toString(), "--public-key",
                data.resolve("keys/ledger-public-key.pem").toString())).isZero();
    }

    private void submitSome(int port, int n) {
        for (int i = 0; i < n; i++) {
            ObjectNode envelope = example("orientation.ped-france-travail");
            assertThat(submit(port, "cd-51", envelope).statusCode()).isEqualTo(202);
        }
    }

    private static void awaitSignedHeadAtLeast(int port, long size) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> json(
                get(port, "/api/v1/audit/tree-head", token("auditor"))).path("treeSize").asLong() >= size);
    }

    private long count(String query) throws Exception {
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }

    private Connection connection() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db").resolve("spie")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
    }

    private static int cli(String... args) {
        CommandLine cli = SpieCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute(args);
        assertThat(code).as(out.toString()).isIn(0, 1, 2, 3);
        if (code != 0) {
            System.out.println(out);
        }
        return code;
    }

    private ConfigurableApplicationContext start(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spie.data-dir=" + data,
                "--spie.config-dir=" + GatewayTestSupport.TEST_CONFIG,
                "--spie.ledger.head-every=200ms",
                "--spie.shutdown.intake-drain=0s",
                "--TEST_URL_CD_51=" + recipients.baseUrl() + "/spie",
                "--TEST_URL_FT_51=" + recipients.baseUrl() + "/spie",
                "--TEST_URL_ML_REIMS=" + recipients.baseUrl() + "/spie"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(SpieGatewayMain.class).run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}

package fr.spie.gateway.cli;

import fr.spie.gateway.pki.DevPki;
import fr.spie.gateway.pki.PkiLayout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spie-gateway pki init <dir>}: creates a development CA and the certificates of the gateway and partners. */
@Command(name = "init", mixinStandardHelpOptions = true,
        header = "Create a development PKI: a CA, its CRL, the gateway's server certificate and one client "
                + "certificate per partner.",
        description = {"Writes in <dir> (Bouncy Castle, ECDSA P-256):",
                "  ca.pem, ca-key.pem     the CA (self-signed certificate, PKCS#8 key)",
                "  crl.pem                its certificate revocation list, empty",
                "  truststore.p12         the CA certificate, for spie.tls.truststore",
                "  server.p12             the gateway's certificate (SAN localhost, 127.0.0.1),",
                "                         also as server.pem and server-key.pem",
                "  clients/<id>.p12       one client certificate per partner of --config,",
                "                         subject CN=<id>,OU=partners,O=SPIE Gateway, also",
                "                         as clients/<id>.pem and clients/<id>-key.pem",
                "For development, tests and the demo only: production uses certificates of",
                "a real CA. Refuses to replace an existing CA, key store, trust store, CRL",
                "or certificate unless --force."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the PKI was created", "1:a CA or another of these files exists already (without --force) "
                + "or a file could not be written", "2:invalid command line"})
final class PkiInitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dir>", description = "The directory to create the files in.")
    Path dir;

    @Option(names = "--config", paramLabel = "<config-dir>", defaultValue = "config",
            description = "Configuration directory whose partners.yaml lists the partners (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--validity", paramLabel = "<duration>", defaultValue = "365d",
            converter = PkiCommand.DurationConverter.class,
            description = "Validity of the server and client certificates: 365d, 12h, PT720H (default: ${DEFAULT-VALUE}).")
    Duration validity;

    @Option(names = "--ca-validity", paramLabel = "<duration>", defaultValue = "3650d",
            converter = PkiCommand.DurationConverter.class,
            description = "Validity of the CA certificate (default: ${DEFAULT-VALUE}).")
    Duration caValidity;

    @Option(names = "--crl-validity", paramLabel = "<duration>", defaultValue = "365d",
            converter = PkiCommand.DurationConverter.class,
            description = "Time until the CRL's nextUpdate; past it every client certificate is refused until the "
                    + "CRL is re-signed by 'pki revoke' (default: ${DEFAULT-VALUE}).")
    Duration crlValidity;

    @Option(names = "--password", paramLabel = "<password>", defaultValue = DevPki.DEFAULT_PASSWORD,
            description = "Password of the PKCS#12 files (default: ${DEFAULT-VALUE}, development only).")
    String password;

    @Option(names = "--force", description = "Replace an existing CA, key store, trust store, CRL and certificates "
            + "in <dir>.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DevPki pki = new DevPki(dir);
        if (pki.exists() && !force) {
            err.println("A CA already exists in " + dir + ": not replaced (use --force to replace it and every "
                    + "certificate it issued).");
            err.flush();
            return 1;
        }
        try {
            List<String> partners = DevPki.partnerIds(config);
            pki.init(partners, new DevPki.Settings(validity, caValidity, crlValidity, password.toCharArray()), force);
            PkiLayout files = pki.layout();
            out.printf("CA:          %s (key %s)%n", files.caCertificate(), files.caKey());
            out.printf("CRL:         %s%n", files.crl());
            out.printf("Truststore:  %s%n", files.truststore());
            out.printf("Server:      %s (SAN %s)%n", files.serverKeystore(), String.join(", ", DevPki.SERVER_NAMES));
            for (String partner : partners) {
                out.printf("Partner %-12s %s%n", partner + ":", files.clientKeystore(partner));
            }
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            err.println("pki init failed: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}

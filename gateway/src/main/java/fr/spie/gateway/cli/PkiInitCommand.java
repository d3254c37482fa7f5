package fr.spie.gateway.cli;

import fr.spie.gateway.IoErrorText;
import fr.spie.gateway.PlaceholderVariables;
import fr.spie.gateway.config.ConfigProblem;
import fr.spie.gateway.config.GatewayConfigLoader;
import fr.spie.gateway.config.InvalidConfigException;
import fr.spie.gateway.config.Partner;
import fr.spie.gateway.config.RecordTypes;
import fr.spie.gateway.pki.DevPki;
import fr.spie.gateway.pki.PkiLayout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.env.ConfigurableEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code spie-gateway pki init <dir>}: creates a development CA and the certificates of the gateway and partners. */
@Command(name = "init", mixinStandardHelpOptions = true,
        header = "Create a development PKI: a CA, its CRL, the gateway's server certificate and one client "
                + "certificate per partner.",
        customSynopsis = {"spie-gateway pki init [-hV] [--force] [--config=<config-dir>]",
                "    [--validity=<duration>] [--ca-validity=<duration>]",
                "    [--crl-validity=<duration>] [--password=<password>] <dir> [--NAME=value...]"},
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
                "or certificate unless --force.",
                "",
                "The partners are those of the configuration as the gateway loads it: the",
                "directory of its spie.config-dir unless --config, ids with their $${NAME}",
                "placeholders resolved from the gateway's settings, read as its start-up",
                "reads them: --NAME=value settings given after <dir>, SPRING_APPLICATION_JSON,",
                "JVM system properties (java -DNAME=value -jar ...), environment variables,",
                "then the application files (in the jar, the working directory and its",
                "config/, or spring.config.location; with the profiles of",
                "spring.profiles.active)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the PKI was created", "1:a CA or another of these files exists already (without --force), "
                + "a file could not be written, the configuration has problems (listed on stderr) or the gateway's "
                + "settings cannot be read", "2:invalid command line"})
final class PkiInitCommand implements Callable<Integer> {
    /** The variable of a placeholder in an id as written. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{\\s*([A-Za-z_][A-Za-z0-9_]*)");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dir>", description = "The directory to create the files in.")
    Path dir;

    @Option(names = "--config", paramLabel = "<config-dir>",
            description = "Configuration directory whose partners.yaml lists the partners (default: the gateway's "
                    + "spie.config-dir, else config).")
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

    /** The gateway's --NAME=value settings; anything else is a wrong command line. */
    @Unmatched
    List<String> settings = new ArrayList<>();

    private final StartupVariables variables;
    /** The variables not set that partner ids need. */
    private final List<String> unsetInIds = new ArrayList<>();

    PkiInitCommand() {
        this(StartupVariables.ofProcess());
    }

    PkiInitCommand(StartupVariables variables) {
        this.variables = variables;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConfigurableEnvironment gateway = variables.environmentOrExplain(
                StartupVariables.settings(spec.commandLine(), settings), err);
        if (gateway == null) {
            return 1;
        }
        String missing = config == null ? StartupVariables.configDirMissing(gateway) : null;
        if (missing != null) {
            err.println(missing);
            err.flush();
            return 1;
        }
        Path configDir = config != null ? config : StartupVariables.configDir(gateway);
        List<String> partners;
        try {
            partners = partnerIds(configDir, gateway);
        } catch (InvalidConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                err.println(problem);
            }
            err.flush();
            return 1;
        }
        if (partners == null) {
            err.println(configDir.resolve("partners.yaml") + ": a partner id needs a variable that is not set "
                    + "(environment, -DNAME=..., or --NAME=... / application settings): " + unsetInIds);
            err.flush();
            return 1;
        }
        DevPki pki = new DevPki(dir);
        if (pki.exists() && !force) {
            err.println("A CA already exists in " + dir + ": not replaced (use --force to replace it and every "
                    + "certificate it issued).");
            err.flush();
            return 1;
        }
        try {
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
            // the files are written one by one: those written before the failure stay, and are a CA that a second
            // run refuses to replace without --force
            err.println("pki init failed: " + e.getMessage() + causeOf(e) + (pki.exists() ? ". The files written "
                    + "before it are left in " + dir + ": once the cause is fixed, run pki init again with --force"
                    : ""));
            err.flush();
            return 1;
        }
    }

    /** ": why", from the I/O failure under {@code e} (which says only which file it could not write), else "". */
    private static String causeOf(RuntimeException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException io) {
                return ": " + IoErrorText.of(io);
            }
        }
        return "";
    }

    /**
     * The partners' ids, as the gateway loads them (placeholders resolved). The variables only the gateway's
     * environment holds (delivery URLs, secrets) are not needed; null when an id needs one ({@link #unsetInIds}).
     */
    private List<String> partnerIds(Path configDir, ConfigurableEnvironment gateway) throws InvalidConfigException {
        GatewayConfigLoader.ReadableConfig readable = new GatewayConfigLoader(RecordTypes.V1,
                PlaceholderVariables.of(gateway)).loadForReading(configDir);
        if (!readable.unsetVariables().isEmpty()) {
            // a partner whose id needs a variable not set is left out of the readable configuration: say so rather
            // than leave it without a certificate
            for (String written : DevPki.writtenPartnerIds(configDir)) {
                Matcher variable = VARIABLE.matcher(written);
                while (variable.find()) {
                    if (readable.unsetVariables().contains(variable.group(1))
                            && !unsetInIds.contains(variable.group(1))) {
                        unsetInIds.add(variable.group(1));
                    }
                }
            }
        }
        return unsetInIds.isEmpty() ? readable.config().partners().stream().map(Partner::id).toList() : null;
    }
}

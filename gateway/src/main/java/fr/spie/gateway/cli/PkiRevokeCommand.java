package fr.spie.gateway.cli;

import fr.spie.gateway.pki.DevPki;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spie-gateway pki revoke <dir> <partnerId|serial>}: adds a certificate to the CRL. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke a certificate issued by the CA of <dir>: add its serial number to <dir>/crl.pem and "
                + "re-sign the CRL with the CA key. The running gateway reloads the CRL within "
                + "spie.tls.reload-interval; from then on, TLS handshakes with that certificate fail.", "",
                "Reads and writes <dir> only (ca.pem, ca-key.pem, crl.pem, clients/<id>.pem): no configuration or "
                        + "gateway setting."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the certificate is revoked", "1:no CA in <dir>, or unknown partner/serial",
                "2:invalid command line"})
final class PkiRevokeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dir>", description = "The PKI directory (made by 'pki init').")
    Path dir;

    @Parameters(index = "1", paramLabel = "<partnerId|serial>",
            description = "A partner id (revokes <dir>/clients/<id>.pem) or a certificate serial number, hexadecimal "
                    + "(0x1f..., or 1F:A2:... as openssl prints it) or decimal.")
    String target;

    @Option(names = "--crl-validity", paramLabel = "<duration>", defaultValue = "365d",
            converter = PkiCommand.DurationConverter.class,
            description = "Time until the re-signed CRL's nextUpdate (default: ${DEFAULT-VALUE}).")
    Duration crlValidity;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DevPki pki = new DevPki(dir);
        if (!pki.exists()) {
            err.println("No CA in " + dir + ": create one with 'pki init " + dir + "'.");
            err.flush();
            return 1;
        }
        try {
            BigInteger serial = pki.revoke(target, crlValidity);
            out.printf("Revoked serial %s (0x%s); CRL %s re-signed.%n", serial, serial.toString(16),
                    pki.layout().crl());
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            err.println("pki revoke failed: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}

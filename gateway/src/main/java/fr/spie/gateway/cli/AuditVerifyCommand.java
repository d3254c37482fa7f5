package fr.spie.gateway.cli;

import fr.spie.gateway.IoErrorText;
import fr.spie.gateway.ledger.GatewayKeys;
import fr.spie.gateway.ledger.export.ExportVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spie-gateway audit verify <export> --public-key <pem>}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a ledger export offline: recompute every entry's leaf hash, check every inclusion "
                + "proof or Merkle root against the signed tree heads, check every signature with the given key, and "
                + "check that a selection is complete and in order (its signed manifest, for the size of its head). "
                + "Refuses a log fork (two signed heads of one size with different roots). Names the first bad entry. "
                + "On a long full export, says every 5 seconds on standard error how many entries it has read.",
                "",
                "EXPORT is a file from GET /api/v1/audit/export (.jsonl or .csv), a zip from "
                        + "GET /api/v1/audit/export/full (its files at its top level), or a directory from 'audit export-full'; "
                        + "a full export is JSON Lines only.", "",
                "Reads only EXPORT and the certificates given: no data directory, configuration or gateway "
                        + "setting."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the export verifies", "1:the export was tampered with (or is not a valid export)",
                "2:invalid command line, unreadable file or key"})
final class AuditVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "EXPORT", description = "export file, zip or directory")
    Path export;

    @Option(names = "--public-key", required = true, paramLabel = "PEM",
            description = "the gateway's ledger public key (PEM public key or certificate), obtained independently "
                    + "of the export, e.g. GET /api/v1/gateway/ledger-key")
    Path publicKey;

    @Option(names = "--tsa-certificate", paramLabel = "PEM",
            description = "the RFC 3161 TSA certificate the heads' timestamp tokens must be signed by; without it, "
                    + "tokens are checked against the certificate they carry and the TSA is named in the report")
    Path tsaCertificate;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PublicKey key;
        try {
            key = GatewayKeys.readPublicKeyPem(Files.readString(publicKey));
        } catch (IOException e) {
            err.println("cannot read the public key " + publicKey + ": " + IoErrorText.reason(e));
            return 2;
        } catch (RuntimeException e) {
            err.println("cannot read the public key " + publicKey + ": " + e.getMessage() + ": give the gateway's "
                    + "ledger public key (GET /api/v1/gateway/ledger-key, or <data-dir>/keys/ledger-public-key.pem)");
            return 2;
        }
        if (!Files.exists(export)) {
            err.println("no such export: " + export);
            return 2;
        }
        java.security.cert.X509Certificate tsa = null;
        if (tsaCertificate != null) {
            try {
                tsa = fr.spie.gateway.ledger.tsa.TimestampVerifier.readCertificate(tsaCertificate);
            } catch (IOException e) {
                err.println("cannot read the TSA certificate " + tsaCertificate + ": " + IoErrorText.reason(e));
                return 2;
            }
        }
        ExportVerifier.Result result;
        try {
            result = new ExportVerifier(key, tsa).verify(export, VerifyProgress.every5Seconds(err));
        } catch (IOException e) {
            err.println("cannot read " + export + ": " + IoErrorText.of(e));
            return 2;
        } catch (RuntimeException e) {
            out.println("TAMPERED: " + export + ": unreadable export: " + e.getMessage());
            return 1;
        }
        if (result.ok()) {
            out.println("OK: " + export + ": " + result.message());
            return 0;
        }
        out.println("TAMPERED: " + export + ": " + result.message());
        if (result.firstBadLedgerIndex() != null) {
            out.println("first bad entry: ledger index " + result.firstBadLedgerIndex());
        }
        return 1;
    }
}

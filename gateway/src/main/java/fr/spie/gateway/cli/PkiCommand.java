package fr.spie.gateway.cli;

import fr.spie.gateway.config.Durations;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spie-gateway pki ...}: the development PKI for mutual TLS (docs/security.md, "Mutual TLS"). */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = "Development PKI for the partner API's mutual TLS: a CA, the gateway's server certificate, "
                + "one client certificate per partner, and the CA's certificate revocation list (CRL).",
        subcommands = {PkiInitCommand.class, PkiRevokeCommand.class})
final class PkiCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Reads durations as config files write them: 365d, 12h, PT720H. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

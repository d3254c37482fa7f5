package fr.spie.gateway.cluster;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The name of this gateway instance among those that share a database ({@code spie.cluster.instance-id}): the holder
 * of the leases on the files it processes, shown in the file reports and the logs. By default the host name and a
 * random suffix, new at each start, so that two instances on one host (or a restarted one) never share a name.
 */
public record InstanceId(String value) {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public InstanceId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("spie.cluster.instance-id must be 1 to 100 characters among letters, "
                    + "digits and . _ : @ - (starting with a letter or a digit), got '" + value + "'");
        }
    }

    /** The configured name, or the host name with a random suffix when none is configured. */
    public static InstanceId configuredOr(String configured) {
        if (configured != null && !configured.isBlank()) {
            return new InstanceId(configured.strip());
        }
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return new InstanceId(hostName() + "-" + HexFormat.of().formatHex(suffix));
    }

    private static String hostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            name = System.getenv().getOrDefault("HOSTNAME", "gateway");
        }
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        cleaned = cleaned.length() > 80 ? cleaned.substring(0, 80) : cleaned;
        return cleaned.isEmpty() ? "gateway" : cleaned;
    }

    @Override
    public String toString() {
        return value;
    }
}

package fr.spie.gateway.messaging;

/**
 * On Java 25 and later, Netty (used by Artemis) does not use {@code sun.misc.Unsafe} unless told to
 * ({@code io.netty.noUnsafe} is true by default there), and its fallback cannot free the direct buffers Artemis's NIO
 * journal allocates: loading an existing journal then fails ("AMQ224000: Failure in initialisation ... Cannot clean
 * arbitrary ByteBuffer instances") and the embedded broker does not start on the second start of a gateway. Unless
 * the operator set the property, it is set to {@code false} here, before Netty is loaded. Java 17 to 24 are unaffected.
 */
public final class NettyCleanerOnNewerJdks {
    static final String PROPERTY = "io.netty.noUnsafe";

    private NettyCleanerOnNewerJdks() {
    }

    /** Lets Netty free direct buffers with {@code Unsafe} on Java 25+, unless the property was set explicitly. */
    public static void apply() {
        apply(Runtime.version().feature());
    }

    static void apply(int javaFeatureVersion) {
        if (javaFeatureVersion >= 25 && System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "false");
        }
    }
}

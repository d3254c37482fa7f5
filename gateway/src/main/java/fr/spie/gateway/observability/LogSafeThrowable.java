package fr.spie.gateway.observability;

import java.util.regex.Pattern;

/**
 * A throwable fit for the logs when its messages may quote data: a copy of the chain with the same classes and stack
 * frames, whose messages have what they quote removed ({@code '...'}, {@code "..."}: a database or parser message
 * may quote the value it refused, e.g. a file name or a cell) and long digit runs (a NIR, a phone number) masked.
 * The operator keeps where it failed and why in kind; the logs keep no personal data.
 */
public final class LogSafeThrowable extends RuntimeException {
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");
    private static final Pattern DIGITS = Pattern.compile("\\d[\\d .]{4,}\\d");
    private static final int MAX_DEPTH = 10;

    private final String originalClass;

    private LogSafeThrowable(Throwable original, int depth) {
        super(original.getClass().getName() + ": " + sanitised(original.getMessage()),
                original.getCause() == null || original.getCause() == original || depth >= MAX_DEPTH ? null
                        : new LogSafeThrowable(original.getCause(), depth + 1), false, true);
        this.originalClass = original.getClass().getName();
        setStackTrace(original.getStackTrace());
    }

    /** The sanitised copy of {@code original} and its causes. */
    public static LogSafeThrowable of(Throwable original) {
        return new LogSafeThrowable(original, 0);
    }

    /** The class of the throwable this one stands for. */
    public String originalClass() {
        return originalClass;
    }

    /** The message without what it quotes nor long digit runs. */
    static String sanitised(String message) {
        if (message == null) {
            return "(no message)";
        }
        String s = QUOTED.matcher(message).replaceAll("[…]");
        s = DIGITS.matcher(s).replaceAll("[digits]");
        return s.length() <= 500 ? s : s.substring(0, 497) + "...";
    }

    @Override
    public String toString() {
        return getMessage();
    }
}

package fr.spie.gateway.files;

import java.util.HashSet;
import java.util.Set;

/**
 * Warnings logged once while what they are about lasts, for a task that looks at the same things over and over (an
 * inbox scan): a warning that a complete pass did not give again is forgotten, so that the memory holds only what is
 * still there (not every folder name, link or file id ever seen in months of scans), and is told again if it comes
 * back. Not thread-safe: one pass at a time.
 */
final class OnceWarnings {
    private final Set<String> warned = new HashSet<>();
    private final Set<String> givenThisPass = new HashSet<>();

    /** Whether to log the warning of {@code key} now: not while it was already logged and is still there. */
    boolean firstTime(String key) {
        givenThisPass.add(key);
        return warned.add(key);
    }

    /**
     * Ends a pass. A complete pass forgets the warnings it did not give again; one cut short (a folder that could not be
     * listed) forgets nothing, since it did not look at everything.
     */
    void endPass(boolean complete) {
        if (complete) {
            warned.retainAll(givenThisPass);
        }
        givenThisPass.clear();
    }

    int remembered() {
        return warned.size();
    }
}

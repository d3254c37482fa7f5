package fr.spie.gateway.config;

import java.util.HashMap;
import java.util.Map;

/** Reports a value that a list of a document declares twice: partner ids, route ids, operator names. */
final class DuplicateCheck {
    private final CheckedDocument doc;
    private final String what;
    private final Map<String, String> firstPointer = new HashMap<>();

    /** @param what what the value is, as problems name it ({@code partner id}) */
    DuplicateCheck(CheckedDocument doc, String what) {
        this.doc = doc;
        this.what = what;
    }

    /**
     * Whether {@code value}, at {@code key} of the item at {@code at}, is its first declaration; if not, the duplicate
     * is reported there.
     */
    boolean isFirst(String value, String at, String key) {
        String first = firstPointer.putIfAbsent(value, at);
        if (first == null) {
            return true;
        }
        doc.report(at + "/" + key, "duplicate " + what + " '" + value + "' (already declared at line "
                + doc.valueAt(first).line() + ")");
        return false;
    }
}

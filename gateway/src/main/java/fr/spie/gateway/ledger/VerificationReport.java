package fr.spie.gateway.ledger;

/**
 * Outcome of an offline ledger verification.
 *
 * @param ok               true when every check passed
 * @param entriesChecked   entries read and hashed
 * @param headsChecked     signed tree heads that verified (signature and root)
 * @param firstBadEntry    index of the first bad entry, or of the first entry not covered by a
 *                         verified head when the exact entry cannot be determined (see reason);
 *                         -1 when no entry is at fault
 * @param badHeadSize      tree size of the first failing head, -1 when no head failed
 * @param uncoveredEntries entries after the largest signed head (hashed but not proven)
 * @param reason           "ok" or a human-readable description of the first failure
 */
public record VerificationReport(boolean ok, long entriesChecked, int headsChecked, long firstBadEntry,
        long badHeadSize, long uncoveredEntries, String reason) {

    static VerificationReport success(long entries, int heads, long uncovered) {
        return new VerificationReport(true, entries, heads, -1, -1, uncovered, "ok");
    }

    static VerificationReport failure(long entries, int heads, long badEntry, long badHead, String reason) {
        return new VerificationReport(false, entries, heads, badEntry, badHead, 0, reason);
    }
}

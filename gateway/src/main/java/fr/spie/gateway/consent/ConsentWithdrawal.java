package fr.spie.gateway.consent;

import java.time.Instant;
import java.util.UUID;

/**
 * What a partner that may not read a consent is told when it withdraws it: that it is withdrawn, since when, and by
 * whom only when that was the caller itself. Withdrawing is open to every partner (GDPR art. 7(3)); reading the
 * receipt (controllers, recipients, purposes, who collected it, the evidence reference, the person's pseudonym) is
 * not.
 *
 * @param withdrawnBy the caller when it recorded the withdrawal in force, else null
 */
public record ConsentWithdrawal(UUID id, Instant withdrawnAt, String withdrawnBy) {

    static ConsentWithdrawal of(Consent consent, String caller) {
        return new ConsentWithdrawal(consent.id(), consent.withdrawnAt(),
                caller.equals(consent.withdrawnBy()) ? caller : null);
    }
}

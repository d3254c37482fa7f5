package fr.spie.gateway.outbound;

import fr.spie.gateway.delivery.DeliveryFailure;
import fr.spie.gateway.delivery.DeliveryTask;

/**
 * Hands one record to one recipient's system, the way that system takes it (the partner's {@code delivery.transport}).
 * One instance per recipient, shared by the recipient's consumers: implementations are thread-safe.
 */
public interface OutboundTransport {

    /** The transport's name in partners.yaml (spie-json, france-travail-api, imilo-api, departement-file). */
    String name();

    /**
     * Delivers the record; returns once the recipient has it, saying what the recipient's system did with it.
     *
     * @param task     the attempt: exchange facts, recipient, idempotency key (stable per exchange and recipient)
     * @param envelope the SPIE envelope JSON to deliver (as minimised for this recipient)
     * @throws DeliveryFailure retryable (the same attempt may succeed later: network, 5xx, 429...) or not (the
     *                         recipient cannot take this record: it goes to the dead-letter queue at once). Its message
     *                         is recorded in the audit trail: it never contains personal data nor secrets.
     * @return what the recipient's system answered or did (e.g. {@code HTTP 201}, a rendez-vous created or updated,
     *         the file written), one short phrase recorded in the DELIVERED event's detail, so that an auditor can
     *         explain what the recipient holds; never personal data nor secrets
     */
    String deliver(DeliveryTask task, String envelope);
}

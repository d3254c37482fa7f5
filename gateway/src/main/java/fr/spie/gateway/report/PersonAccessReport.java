package fr.spie.gateway.report;

import java.time.Instant;
import java.util.List;

/**
 * What a person is told about who received their data: one entry per delivery, oldest first, and the plain French
 * text built from them.
 *
 * @param generatedAt when the report was made
 * @param searchedBy  which kinds of keys were searched (never the values): "NIR", "identifiant CAF"...
 * @param entries     the deliveries shown
 * @param withheld    deliveries not shown yet because their purpose is delayed (their count only)
 * @param complete    false when the person's deliveries were too many for one report: the latest are missing (the
 *                    text says so)
 * @param text        the report in plain French
 */
public record PersonAccessReport(Instant generatedAt, List<String> searchedBy, List<Entry> entries, int withheld,
                                 boolean complete, String text) {

    /**
     * One delivery of the person's data.
     *
     * @param deliveredAt    when the recipient acknowledged it
     * @param recipient      the organisation that received it (name from the configuration, else its id)
     * @param sender         the organisation that sent it
     * @param category       the category of data, in French
     * @param purpose        the purpose, in French when known
     * @param legalBasis     the legal basis, in French, with its reference when the route still exists
     * @param exchangeId     the exchange (for an auditor to follow up)
     */
    public record Entry(Instant deliveredAt, String recipient, String sender, String category, String purpose,
                        String legalBasis, String exchangeId) {
    }
}

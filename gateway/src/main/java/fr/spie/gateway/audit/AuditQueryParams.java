package fr.spie.gateway.audit;

/**
 * The query parameters that select audit events, shared by {@code GET /api/v1/audit/events} and
 * {@code GET /api/v1/audit/export} (bound by Spring from the query string; absent ones are null): exchange, partner,
 * event type, purpose, time range ({@code from}, {@code to}, RFC 3339) and the person ({@link PersonFilter}).
 */
public record AuditQueryParams(String exchangeId, String partner, String eventType, String purpose, String from,
                               String to, String nir, String identifierScheme, String identifierValue,
                               String identifierIssuer, String birthName, String givenName, String birthDate,
                               String sex) {

    /** The person named by the query, if any. */
    public PersonFilter person() {
        return new PersonFilter(nir, identifierScheme, identifierValue, identifierIssuer, birthName, givenName,
                birthDate, sex);
    }

    /** The filter of the query, the person given as the pseudonyms {@link #person()} resolves to (or null). */
    AuditQueries.AuditFilter filter(java.util.List<String> subjectPseudonyms) {
        return AuditController.filter(exchangeId, partner, subjectPseudonyms, eventType, purpose, from, to);
    }
}

package fr.spie.gateway.intake;

import java.util.List;
import java.util.UUID;

/**
 * A submission refused before anything was stored: answered as RFC 9457 problem details and audited as REJECTED.
 *
 * @param status     HTTP status
 * @param problem    short problem type name, e.g. "schema-violation" (the type URI ends with it)
 * @param title      short human summary of the problem type
 * @param detail     what is wrong with this submission
 * @param errors     one entry per violation (JSON Pointer + message), possibly empty
 * @param exchangeId the exchange id if it could be read, else null
 */
public class IntakeRejection extends RuntimeException {
    private final int status;
    private final String problem;
    private final String title;
    private final List<FieldError> errors;
    private final UUID exchangeId;

    public IntakeRejection(int status, String problem, String title, String detail, List<FieldError> errors,
                           UUID exchangeId) {
        super(detail, null, false, false);
        this.status = status;
        this.problem = problem;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.exchangeId = exchangeId;
    }

    public IntakeRejection(int status, String problem, String title, String detail) {
        this(status, problem, title, detail, List.of(), null);
    }

    public IntakeRejection withExchangeId(UUID id) {
        return new IntakeRejection(status, problem, title, getMessage(), errors, id);
    }

    public int status() {
        return status;
    }

    public String problem() {
        return problem;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public UUID exchangeId() {
        return exchangeId;
    }

    /** One violation: where (RFC 6901 JSON Pointer) and what. */
    public record FieldError(String pointer, String detail) {
    }
}

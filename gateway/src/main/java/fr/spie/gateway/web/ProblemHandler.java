package fr.spie.gateway.web;

import fr.spie.gateway.intake.IntakeRejection;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every API error is an RFC 9457 problem detail: Spring MVC's own errors and the gateway's refusals. */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
    /** Seconds a caller is asked to wait when the database cannot be written. */
    static final int STORAGE_RETRY_AFTER_SECONDS = 30;
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private final ProblemWriter problems;

    public ProblemHandler(ProblemWriter problems) {
        this.problems = problems;
    }

    /**
     * A multipart upload beyond {@code spring.servlet.multipart.max-file-size} (= {@code spie.files.max-size}): the
     * same problem as a raw upload beyond the limit, {@code file-too-large}, not Spring's untyped 413.
     */
    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          WebRequest request) {
        String detail = e.getMaxUploadSize() > 0 ? "the file exceeds the limit of " + e.getMaxUploadSize() + " bytes"
                : "the file exceeds the size limit";
        String uri = request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : null;
        return ResponseEntity.status(413).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problems.toProblem(
                new IntakeRejection(413, "file-too-large", "File too large", detail), uri));
    }

    /**
     * A body sent as {@code multipart/form-data} (or another {@code multipart/*}) that cannot be read as one: no
     * boundary, a truncated or garbled part. Spring MVC parses such a body before any endpoint runs, on every
     * endpoint, and its failure was an unhandled 500; it is the caller's malformed request, 400.
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> unreadableMultipart(MultipartException e, HttpServletRequest request) {
        return rejected(new IntakeRejection(400, "malformed-multipart", "Malformed multipart body",
                "the body is sent as " + MediaType.MULTIPART_FORM_DATA_VALUE + " but is no readable multipart form "
                        + "(a boundary parameter, then parts delimited by it); only a file upload "
                        + "(POST /api/v1/partners/{id}/files, a 'file' part) takes a form, the other endpoints JSON"),
                request);
    }

    @ExceptionHandler(IntakeRejection.class)
    ResponseEntity<ProblemDetail> rejected(IntakeRejection rejection, HttpServletRequest request) {
        return ResponseEntity.status(rejection.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.toProblem(rejection, request.getRequestURI()));
    }

    /**
     * The database cannot be reached or written (file system full, database down, connection pool exhausted): a 503
     * problem with Retry-After, so that a partner sends its request again later, rather than Spring's default 500
     * error body. The request's transaction was rolled back: nothing of it was accepted.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            CannotCreateTransactionException.class, TransactionSystemException.class})
    ResponseEntity<ProblemDetail> storageUnavailable(Exception failure, HttpServletRequest request) {
        // (the types of StorageFailures: a transaction that could not begin, no connection to the database, was a 500)
        log.error("storage unavailable, {} {} answered 503: {}", request.getMethod(), request.getRequestURI(),
                NestedExceptionUtils.getMostSpecificCause(failure).toString());
        IntakeRejection unavailable = new IntakeRejection(503, "storage-unavailable", "Storage unavailable",
                "the gateway cannot use its database right now (see its log and health); nothing of this request was "
                        + "accepted: send it again after the Retry-After delay");
        return ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, Integer.toString(STORAGE_RETRY_AFTER_SECONDS))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.toProblem(unavailable, request.getRequestURI()));
    }
}

package fr.spie.gateway.web;

import fr.spie.gateway.intake.IntakeRejection;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every API error is an RFC 9457 problem detail: Spring MVC's own errors and the gateway's refusals. */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
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

    @ExceptionHandler(IntakeRejection.class)
    ResponseEntity<ProblemDetail> rejected(IntakeRejection rejection, HttpServletRequest request) {
        return ResponseEntity.status(rejection.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.toProblem(rejection, request.getRequestURI()));
    }
}

package fr.spie.gateway.web;

import fr.spie.gateway.intake.IntakeRejection;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every API error is an RFC 9457 problem detail: Spring MVC's own errors and the gateway's refusals. */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
    private final ProblemWriter problems;

    public ProblemHandler(ProblemWriter problems) {
        this.problems = problems;
    }

    @ExceptionHandler(IntakeRejection.class)
    ResponseEntity<ProblemDetail> rejected(IntakeRejection rejection, HttpServletRequest request) {
        return ResponseEntity.status(rejection.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.toProblem(rejection, request.getRequestURI()));
    }
}

package io.relata.web.api;

import io.relata.api.record.FieldError;
import java.util.List;

/**
 * An error the API reports as RFC 9457 problem+json. {@code type} is a short slug, published as
 * {@code https://relata.dev/problems/<type>}; {@code errors} carries per-field details where there are any.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;

    public ApiProblem(int status, String type, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ApiProblem badRequest(String parameter, String code, String detail) {
        return new ApiProblem(400, "bad-request", "Bad request", detail, List.of(new FieldError(parameter, code, detail)));
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}

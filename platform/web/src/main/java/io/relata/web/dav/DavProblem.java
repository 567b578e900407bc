package io.relata.web.dav;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import javax.xml.namespace.QName;

/**
 * A WebDAV request that cannot be answered: the status and the WebDAV error body (RFC 4918 §16) calendar apps
 * understand, instead of the API's problem JSON.
 */
final class DavProblem extends RuntimeException {

    private final int status;
    private final QName condition;

    DavProblem(int status, QName condition, String description) {
        super(description);
        this.status = status;
        this.condition = condition;
    }

    static Response response(int status, QName condition, String description) {
        return Response.status(status).entity(DavXml.error(condition, description)).type(DavXml.MEDIA_TYPE).build();
    }

    /** Answers a {@link DavProblem} as itself (the nearest mapper wins over the API's catch-all). */
    @Provider
    public static final class Mapper implements ExceptionMapper<DavProblem> {
        @Override
        public Response toResponse(DavProblem problem) {
            return response(problem.status, problem.condition, problem.getMessage());
        }
    }
}

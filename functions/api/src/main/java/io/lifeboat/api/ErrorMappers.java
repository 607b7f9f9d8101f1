package io.lifeboat.api;

import io.lifeboat.error.LifeboatException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into the same error shape. Unexpected failures are logged, and their details not returned. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response lifeboat(LifeboatException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(e.status(), e.code(), e.field(), e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 406, 415 -> "UnsupportedMediaType";
            default -> status < 500 ? "BadRequest" : "InternalError";
        };
        String message = switch (status) {
            case 404 -> "no such path";
            case 405 -> "this method is not allowed on this path";
            case 415 -> "send the body as application/json";
            default -> status < 500 ? "the request is not valid" : "internal error";
        };
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(status, code, null, message)).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.errorf("unexpected failure: %s", e.getClass().getName());
        LOG.debug("unexpected failure", e);
        return Response.status(500).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(500, "InternalError", null, "internal error")).build();
    }
}

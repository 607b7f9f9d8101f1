package io.lifeboat.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to a POST whose worker could not be started (a Lambda invocation refused, for example): 503
 * {@code WorkerNotStarted} in the one error shape, with the record under its kind, Failed with the same reason.
 */
final class NotStarted {
    static final int STATUS = 503;

    private NotStarted() {
    }

    static Response of(String kind, Object record, String reason) {
        Map<String, Object> body = new LinkedHashMap<>(ErrorBody.of(STATUS, "WorkerNotStarted", null, reason));
        body.put(kind, record);
        return Response.status(STATUS).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}

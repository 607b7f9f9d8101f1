package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusDetailsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/** HTTP answers in the shapes a real API server uses: JSON bodies, and Status objects for errors. */
final class Responses {
    static final String JSON = "application/json";

    private Responses() {
    }

    static ApiResponse json(int code, String body) {
        return ApiResponse.of(code, JSON, body);
    }

    static ApiResponse json(Object body) {
        return json(200, Serialization.asJson(body));
    }

    static ApiResponse text(int code, String body) {
        return ApiResponse.of(code, "text/plain; charset=utf-8", body);
    }

    static ApiResponse status(int code, String reason, String message) {
        return json(code, Serialization.asJson(statusObject(code, reason, message)));
    }

    static Status statusObject(int code, String reason, String message) {
        return new StatusBuilder()
                .withNewMetadata().endMetadata()
                .withStatus("Failure")
                .withMessage(message)
                .withReason(reason)
                .withCode(code)
                .build();
    }

    static ApiResponse notFound(String message) {
        return status(404, "NotFound", message);
    }

    static ApiResponse gone(String message) {
        return status(410, "Expired", message);
    }

    /**
     * What kube-apiserver's API Priority and Fairness answers when a request finds its queues full: 429 with a
     * {@code Retry-After} in whole seconds, and the same figure in the Status details.
     */
    static ApiResponse tooManyRequests(int retryAfterSeconds) {
        Status status = statusObject(429, "TooManyRequests", "Too many requests, please try again later.");
        status.setDetails(new StatusDetailsBuilder().withRetryAfterSeconds(retryAfterSeconds).build());
        return json(429, Serialization.asJson(status)).withHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    static ApiResponse badRequest(String message) {
        return status(400, "BadRequest", message);
    }

    /** The reason a real server gives for a status code. */
    static String reasonFor(int code) {
        switch (code) {
            case 400: return "BadRequest";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "NotFound";
            case 405: return "MethodNotAllowed";
            case 406: return "NotAcceptable";
            case 409: return "Conflict";
            case 410: return "Expired";
            case 415: return "UnsupportedMediaType";
            case 422: return "Invalid";
            case 429: return "TooManyRequests";
            case 500: return "InternalError";
            case 503: return "ServiceUnavailable";
            default: return "Unknown";
        }
    }
}

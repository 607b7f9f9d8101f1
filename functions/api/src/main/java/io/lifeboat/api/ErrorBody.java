package io.lifeboat.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON shape of every error answer: {"error": {"status", "code", "field"?, "message"}}. */
public final class ErrorBody {
    private ErrorBody() {
    }

    public static Map<String, Object> of(int status, String code, String field, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", status);
        error.put("code", code);
        if (field != null) {
            error.put("field", field);
        }
        error.put("message", message);
        return Map.of("error", error);
    }
}

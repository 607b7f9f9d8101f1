package io.lifeboat.sandbox.kube;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One answer of the sandbox's API: status code, headers and body. */
record ApiResponse(int code, Map<String, String> headers, byte[] body) {
    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse of(int code, String contentType, String body) {
        return new ApiResponse(code, Map.of("Content-Type", contentType), body.getBytes(StandardCharsets.UTF_8));
    }

    /** The same answer with one more header. */
    ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(code, more, body);
    }

    String utf8Body() {
        return new String(body, StandardCharsets.UTF_8);
    }
}

package io.lifeboat.sandbox.kube;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One request to the sandbox's API: method, path with its query, the headers that matter to the API (names in lower
 * case) and the body.
 */
record ApiRequest(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
    ApiRequest {
        method = method.toUpperCase(Locale.ROOT);
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String utf8Body() {
        return new String(body, StandardCharsets.UTF_8);
    }
}

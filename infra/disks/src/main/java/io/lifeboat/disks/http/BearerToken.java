package io.lifeboat.disks.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.lifeboat.disk.DiskException;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * An OAuth access token, fetched when first needed and again a minute before it expires. The token is never logged
 * nor put in a message.
 */
public final class BearerToken {
    private final Supplier<JsonHttp.Response> fetch;
    private final Clock clock;
    private String token;
    private Instant expires = Instant.MIN;

    /** {@code fetch} asks the token endpoint; its answer carries {@code access_token} and {@code expires_in}. */
    public BearerToken(Supplier<JsonHttp.Response> fetch, Clock clock) {
        this.fetch = fetch;
        this.clock = clock;
    }

    public synchronized String get() {
        if (token == null || !clock.instant().isBefore(expires)) {
            JsonHttp.Response answer = fetch.get();
            JsonNode body = answer.body();
            if (!answer.ok() || body.path("access_token").asText("").isEmpty()) {
                String code = body.path("error").isTextual() ? body.path("error").asText()
                        : body.path("error").path("code").asText(String.valueOf(answer.status()));
                String why = body.path("error_description").asText(body.path("error").path("message").asText(""));
                throw new DiskException(code.isEmpty() ? String.valueOf(answer.status()) : code,
                        answer.status() == 429 || answer.status() >= 500,
                        "the token endpoint refused the credentials (" + answer.status() + ")"
                                + (why.isEmpty() ? "" : ": " + firstLine(why)));
            }
            token = body.get("access_token").asText();
            expires = clock.instant().plusSeconds(Math.max(0, body.path("expires_in").asLong(300) - 60));
        }
        return token;
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return line.length() > 300 ? line.substring(0, 300) : line;
    }
}

package io.lifeboat.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.InputStream;

/** Answers with a file from a location, streamed as it is read and closed afterwards. */
final class Streams {
    private Streams() {
    }

    static Response of(InputStream in, String type) {
        StreamingOutput body = out -> {
            try (in) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, type).build();
    }
}

package io.lifeboat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.api.view.ListView;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.input.Names;
import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The paging of every list: {@code ?limit=} (1 to 1000, 100 unless given) and {@code ?nextToken=}, the token the
 * previous page gave. A token names its project, its list (with the list's filter) and the last name shown, under a
 * digest; it is opaque to callers and read as hostile input: one that is garbled, altered, or given to another
 * project or another list is refused (400, naming {@code nextToken}) before anything is read. It grants nothing:
 * every list reads the path's project only, which the caller was allowed before the list ran.
 */
final class Paging {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final int DIGEST_BYTES = 16;
    private static final int MAX_TOKEN = 1024;

    private Paging() {
    }

    /** Where the page asked for starts, and its size; {@code list} names the list and its filter. */
    static PageRequest request(String project, String list, String limit, String nextToken) {
        int size = PageRequest.limit(limit);
        return new PageRequest(nextToken == null ? null : after(project, list, nextToken), size);
    }

    /** The page as the API answers it: its items' views, and a token for the next page when there is one. */
    static <T, R> ListView<R> view(String project, String list, Page<T> page, Function<T, R> view) {
        return new ListView<>(page.items().stream().map(view).toList(),
                page.next() == null ? null : token(project, list, page.next()));
    }

    static String token(String project, String list, String after) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("p", project);
        fields.put("l", list);
        fields.put("a", after);
        try {
            byte[] payload = JSON.writeValueAsBytes(fields);
            return ENCODE.encodeToString(payload) + "." + ENCODE.encodeToString(digest(payload));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String after(String project, String list, String token) {
        InvalidInputException refused = new InvalidInputException("nextToken", "is not a token this list gave; "
                + "start again without it");
        if (token.length() > MAX_TOKEN) {
            throw refused;
        }
        int dot = token.indexOf('.');
        if (dot < 0) {
            throw refused;
        }
        try {
            byte[] payload = DECODE.decode(token.substring(0, dot));
            byte[] digest = DECODE.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(digest, digest(payload))) {
                throw refused;
            }
            JsonNode fields = JSON.readTree(payload);
            if (fields == null || !fields.isObject() || fields.size() != 3 || !project.equals(text(fields, "p"))
                    || !list.equals(text(fields, "l")) || !Names.isDns1123Label(text(fields, "a"))) {
                throw refused;
            }
            return text(fields, "a");
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw refused;
        }
    }

    private static String text(JsonNode fields, String name) {
        JsonNode value = fields.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static byte[] digest(byte[] payload) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(payload), DIGEST_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.lifeboat.encryption;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

/**
 * The small header object of an encrypted backup ({@code lifeboat-encryption.json} in its folder, the one object
 * stored in clear): the format, the cipher, the chunk size, the KMS key that wrapped the data key, the wrapped data
 * key, and the context it was wrapped with. It holds nothing secret: the data key is only usable through the key
 * service. Read from a bucket, it is hostile input: it is parsed strictly (at most {@value #MAX_BYTES} bytes, no
 * duplicate or unknown field), and a reader trusts only the backup's record for which key to expect.
 */
public record EncryptionHeader(int chunkBytes, String kmsKeyId, byte[] wrappedKey, String context) {
    public static final String FORMAT = "lifeboat.io/encrypted-backup";
    public static final String CIPHER = "AES-256-GCM";
    public static final int MAX_BYTES = 16 * 1024;
    private static final Set<String> FIELDS = Set.of("format", "version", "cipher", "chunkBytes", "kmsKeyId",
            "wrappedKey", "context");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    public EncryptionHeader {
        ChunkFormat.checkChunkBytes(chunkBytes);
        wrappedKey = wrappedKey.clone();
    }

    @Override
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", FORMAT).put("version", ChunkFormat.VERSION).put("cipher", CIPHER)
                .put("chunkBytes", chunkBytes).put("kmsKeyId", kmsKeyId)
                .put("wrappedKey", Base64.getEncoder().encodeToString(wrappedKey)).put("context", context);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a header as read from a bucket; a {@link TamperedObjectException} says what is wrong with it. */
    public static EncryptionHeader parse(byte[] json) throws TamperedObjectException {
        if (json.length > MAX_BYTES) {
            throw new TamperedObjectException("the encryption header is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            throw new TamperedObjectException("the encryption header is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new TamperedObjectException("the encryption header is not a JSON object");
        }
        Set<String> unknown = new TreeSet<>();
        node.fieldNames().forEachRemaining(unknown::add);
        unknown.removeAll(FIELDS);
        if (!unknown.isEmpty()) {
            throw new TamperedObjectException("the encryption header has unknown fields " + unknown);
        }
        require(FORMAT.equals(node.path("format").textValue()), "its format is not " + FORMAT);
        require(node.path("version").isInt() && node.path("version").intValue() == ChunkFormat.VERSION,
                "its version is not " + ChunkFormat.VERSION);
        require(CIPHER.equals(node.path("cipher").textValue()), "its cipher is not " + CIPHER);
        JsonNode chunk = node.path("chunkBytes");
        require(chunk.isInt() && chunk.intValue() >= ChunkFormat.MIN_CHUNK_BYTES
                && chunk.intValue() <= ChunkFormat.MAX_CHUNK_BYTES, "its chunk size is not "
                + ChunkFormat.MIN_CHUNK_BYTES + " to " + ChunkFormat.MAX_CHUNK_BYTES + " bytes");
        String keyId = node.path("kmsKeyId").textValue();
        require(keyId != null && !keyId.isEmpty() && keyId.length() <= 2048, "it names no KMS key");
        String context = node.path("context").textValue();
        require(context != null && context.length() <= 2048, "it has no context");
        byte[] wrapped;
        try {
            wrapped = Base64.getDecoder().decode(String.valueOf(node.path("wrappedKey").textValue()));
        } catch (IllegalArgumentException e) {
            throw new TamperedObjectException("the encryption header's wrapped key is not base64");
        }
        require(wrapped.length > 0 && wrapped.length <= 4096, "its wrapped key is empty or too long");
        return new EncryptionHeader(chunk.intValue(), keyId, wrapped, context);
    }

    private static void require(boolean condition, String what) throws TamperedObjectException {
        if (!condition) {
            throw new TamperedObjectException("the encryption header is not one Lifeboat wrote: " + what);
        }
    }

    @Override
    public String toString() {
        return "EncryptionHeader[chunkBytes=" + chunkBytes + ", kmsKeyId=" + kmsKeyId + ", context=" + context + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptionHeader h && h.chunkBytes == chunkBytes && h.kmsKeyId.equals(kmsKeyId)
                && java.util.Arrays.equals(h.wrappedKey, wrappedKey) && h.context.equals(context);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(chunkBytes, kmsKeyId, java.util.Arrays.hashCode(wrappedKey), context);
    }

}

package io.lifeboat.disks.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.disk.DiskException;
import io.lifeboat.disks.http.JsonHttp;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

/**
 * A service account's access token by Google's documented flow for server-to-server calls: a JWT signed RS256 with the
 * key's private key ({@code iss} the account, {@code scope}, {@code aud} the token URI, one hour), exchanged at the
 * key's {@code token_uri} (grant type jwt-bearer). The key and the assertion never leave this class but to the token
 * endpoint.
 */
public final class ServiceAccountToken {
    public static final String COMPUTE_SCOPE = "https://www.googleapis.com/auth/compute";
    public static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private ServiceAccountToken() {
    }

    /** The account's project, from its key. */
    public static String project(JsonNode key) {
        return key.path("project_id").asText(null);
    }

    /** The request that asks for a token, as {@link io.lifeboat.disks.http.BearerToken} sends it. */
    public static JsonHttp.Response request(JsonHttp http, JsonNode key, Clock clock) {
        String tokenUri = key.path("token_uri").asText(DEFAULT_TOKEN_URI);
        long now = clock.instant().getEpochSecond();
        String header = encode(Map.of("alg", "RS256", "typ", "JWT", "kid", key.path("private_key_id").asText()));
        String claims = encode(Map.of("iss", key.path("client_email").asText(), "scope", COMPUTE_SCOPE, "aud", tokenUri,
                "iat", now, "exp", now + 3600));
        String unsigned = header + "." + claims;
        String assertion = unsigned + "." + URL.encodeToString(sign(unsigned, key.path("private_key").asText()));
        return http.form(URI.create(tokenUri), Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion", assertion));
    }

    private static String encode(Map<String, Object> part) {
        try {
            return URL.encodeToString(JSON.writeValueAsBytes(part));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sign(String text, String pem) {
        try {
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(base64)));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(text.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new DiskException("InvalidServiceAccountKey", false, "the service account's private key cannot sign: "
                    + e.getClass().getSimpleName());
        }
    }
}

package io.lifeboat.notification;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * How a delivery is signed: {@code X-Lifeboat-Signature: sha256=<hex>}, the HMAC-SHA256 under the webhook's secret
 * of the {@code X-Lifeboat-Timestamp} header (epoch seconds), a dot, and the body as sent. A receiver recomputes it,
 * compares in constant time, and refuses an old timestamp (a replay).
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "X-Lifeboat-Signature";
    public static final String TIMESTAMP_HEADER = "X-Lifeboat-Timestamp";
    public static final String EVENT_HEADER = "X-Lifeboat-Event";
    public static final String DELIVERY_HEADER = "X-Lifeboat-Delivery";

    private WebhookSignature() {
    }

    public static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

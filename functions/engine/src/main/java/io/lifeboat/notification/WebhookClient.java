package io.lifeboat.notification;

import java.io.IOException;
import java.util.Map;

/**
 * Sends one POST and answers its status. Implementations connect only where the {@code OutboundPolicy} allows
 * (checked at resolution and at connection), follow no redirect (a 3xx is an answer, not a hop), and time out.
 */
public interface WebhookClient {
    int post(String url, Map<String, String> headers, byte[] body) throws IOException;
}

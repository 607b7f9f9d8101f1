package io.lifeboat.app.signal;

import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.notification.WebhookClient;
import io.lifeboat.objectstore.outbound.CheckedDns;
import io.lifeboat.objectstore.outbound.CheckedSockets;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Webhook deliveries over OkHttp, resolving and connecting through the {@link OutboundPolicy} (as the object stores'
 * clients do: a name that resolves to a forbidden address, or a literal one, fails before a packet is sent), with no
 * proxy, no redirect followed and short timeouts. The answer's body is not read.
 */
public final class CheckedWebhookClient implements WebhookClient {
    private static final MediaType JSON = MediaType.get("application/json");
    private final OkHttpClient http;

    public CheckedWebhookClient(OutboundPolicy outbound, Duration timeout) {
        this.http = new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .callTimeout(timeout.multipliedBy(2))
                .retryOnConnectionFailure(false)
                .proxy(java.net.Proxy.NO_PROXY)
                .dns(new CheckedDns(outbound))
                .socketFactory(new CheckedSockets(outbound))
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
    }

    @Override
    public int post(String url, Map<String, String> headers, byte[] body) throws IOException {
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body, JSON))
                .header("User-Agent", "lifeboat-webhooks");
        headers.forEach(request::header);
        try (Response response = http.newCall(request.build()).execute()) {
            return response.code();
        }
    }
}

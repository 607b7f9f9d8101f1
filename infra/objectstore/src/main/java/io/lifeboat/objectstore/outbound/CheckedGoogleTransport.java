package io.lifeboat.objectstore.outbound;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.apache.v2.ApacheHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import io.lifeboat.input.OutboundPolicy;
import org.apache.http.HttpResponseInterceptor;

/**
 * google-http-client's transport for GCS and for the service account's token_uri: Apache's client with the
 * {@link CheckedDns}, and no redirect. Apache's own redirect handling is off, and the Location header of a 3xx is
 * dropped, so that google-http-client does not follow it either: a 3xx is an error.
 */
public final class CheckedGoogleTransport implements HttpTransportFactory {
    private final HttpTransport transport;

    public CheckedGoogleTransport(OutboundPolicy policy) {
        this.transport = new ApacheHttpTransport(ApacheHttpTransport.newDefaultHttpClientBuilder()
                .setDnsResolver(new CheckedDns(policy))
                .disableRedirectHandling()
                .addInterceptorLast((HttpResponseInterceptor) (response, context) -> {
                    int status = response.getStatusLine().getStatusCode();
                    if (status >= 300 && status < 400) {
                        response.removeHeaders("Location");
                    }
                })
                .build());
    }

    @Override
    public HttpTransport create() {
        return transport;
    }
}

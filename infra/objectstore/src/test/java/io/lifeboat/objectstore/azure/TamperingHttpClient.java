package io.lifeboat.objectstore.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Passes requests on to another client, changing one byte of the body of those {@code tamper} picks (after the SDK
 * computed the MD5 it sends with them), as a fault on the way to the service would. Remembers each request's method,
 * URL and Content-MD5.
 */
final class TamperingHttpClient implements HttpClient {
    private final HttpClient delegate;
    private final Predicate<HttpRequest> tamper;
    final List<String> requests = new CopyOnWriteArrayList<>();

    TamperingHttpClient(HttpClient delegate, Predicate<HttpRequest> tamper) {
        this.delegate = delegate;
        this.tamper = tamper;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return delegate.send(seen(request));
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        return delegate.send(seen(request), context);
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        return delegate.sendSync(seen(request), context);
    }

    private HttpRequest seen(HttpRequest request) {
        requests.add(request.getHttpMethod() + " " + request.getUrl() + " Content-MD5="
                + request.getHeaders().getValue(HttpHeaderName.CONTENT_MD5));
        if (request.getBodyAsBinaryData() != null && tamper.test(request)) {
            byte[] body = request.getBodyAsBinaryData().toBytes();
            body[body.length / 2] ^= 0x20;
            request.setBody(body);
        }
        return request;
    }
}

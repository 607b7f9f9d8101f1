package io.lifeboat.objectstore.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Passes requests on to another client and remembers their URLs, so a test can count pages. */
final class RecordingHttpClient implements HttpClient {
    private final HttpClient delegate;
    final List<String> urls = new CopyOnWriteArrayList<>();

    RecordingHttpClient(HttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        urls.add(request.getHttpMethod() + " " + request.getUrl());
        return delegate.send(request);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        urls.add(request.getHttpMethod() + " " + request.getUrl());
        return delegate.send(request, context);
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        urls.add(request.getHttpMethod() + " " + request.getUrl());
        return delegate.sendSync(request, context);
    }
}

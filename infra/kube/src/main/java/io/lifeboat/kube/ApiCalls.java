package io.lifeboat.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.lifeboat.discovery.ResourceType;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Raw JSON requests to a cluster's API server, through the fabric8 client's authenticated HTTP client. */
final class ApiCalls {
    private final KubernetesClient client;
    private final long timeoutMillis;

    ApiCalls(KubernetesClient client, long timeoutMillis) {
        this.client = client;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * {@code api/v1/namespaces/shop/configmaps[/name]}, or the cluster-wide path when namespace is null. Every segment
     * is percent-encoded, so that no name (from an archive, a cluster or a record) reaches another path or a query;
     * an empty segment, "." or ".." is refused (IllegalArgumentException), since servers resolve those.
     */
    static String path(ResourceType type, String namespace, String name) {
        String base = type.group().isEmpty() ? "api/" + segment(type.version())
                : "apis/" + segment(type.group()) + "/" + segment(type.version());
        return base + (namespace == null ? "" : "/namespaces/" + segment(namespace)) + "/" + segment(type.resource())
                + (name == null ? "" : "/" + segment(name));
    }

    /** One path segment, percent-encoded: only unreserved characters, ':' and '@' stay as they are (RFC 3986 pchar). */
    static String segment(String value) {
        if (value == null || value.isEmpty() || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException("'" + value + "' cannot be a segment of a request path");
        }
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == '@';
            out.append(plain ? String.valueOf((char) c) : String.format("%%%02X", c));
        }
        return out.toString();
    }

    /** GET, or POST/PUT of a JSON body; throws IOException for a transport failure or a timeout. */
    HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body) throws IOException {
        String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/" + pathAndQuery;
        HttpClient http = client.getHttpClient();
        HttpRequest.Builder request = http.newHttpRequestBuilder().uri(url).header("Accept", "application/json");
        if (body != null) {
            request.method(method, "application/json", new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
        try {
            return http.sendAsync(request.build(), byte[].class).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(method + " " + pathAndQuery + " timed out", e);
        } catch (ExecutionException e) {
            throw new IOException(method + " " + pathAndQuery + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + " " + pathAndQuery + " was interrupted", e);
        }
    }
}

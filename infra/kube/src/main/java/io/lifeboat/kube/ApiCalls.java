package io.lifeboat.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.lifeboat.discovery.ResourceType;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw JSON requests to a cluster's API server, through the fabric8 client's authenticated HTTP client, and the one
 * place their retries are decided.
 *
 * <p>A 429 (the API server's Priority and Fairness shedding load) is waited out and sent again: it is the server
 * asking for patience, not a failure. The wait is the answer's {@code Retry-After} in seconds (1 s when absent or not
 * a number of seconds, at most {@value #MAX_RETRY_AFTER_SECONDS} s) plus up to a fifth more at random, so that
 * clients throttled together do not come back together. Such waits go on while they end before the request's
 * deadline (its timeout, counted from the first attempt), at most {@value #MAX_THROTTLED_RETRIES} times; only then
 * does the 429 reach the caller. Each one is counted ({@link #throttledRetries()}). A wait is a timer, never a
 * sleeping thread: {@link #sendAsync} holds no thread while its request is under way, retries included, and
 * {@link #send} is that request waited on.
 *
 * <p>A transport failure or a 5xx answer is retried as the client's configuration says (its request retry back-off
 * limit and interval, doubling each time, or the {@code Retry-After} if longer), as the fabric8 client would have.
 *
 * <p>Why here and not in fabric8: its StandardHttpClient (7.5.2) already retries 429 and 5xx answers and transport
 * failures, up to {@code requestRetryBackoffLimit} times, waiting the longer of its back-off and the Retry-After
 * (uncapped), and counts nothing that a caller can see. Left on, its retries and these would multiply (each attempt
 * here being up to three there, with KubeClients' limit of 2). So the requests sent from here go through a client
 * derived from the session's one whose request configuration has a retry limit of 0; everything else (connections,
 * authentication, outbound checks) is shared. fabric8's own calls elsewhere in the session (health, snapshots,
 * storage classes) keep fabric8's retries.
 */
final class ApiCalls {
    static final int MAX_RETRY_AFTER_SECONDS = 10;
    static final int MAX_THROTTLED_RETRIES = 50;
    private static final int TOO_MANY_REQUESTS = 429;
    /**
     * The timers of every session's requests: retries' waits and attempts' deadlines. Its one thread only starts
     * requests (which do not block) and settles futures, so it never sleeps through a wait; a cancelled deadline
     * leaves its queue at once, as most do.
     */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final KubernetesClient client;
    private final HttpClient http;
    private final long timeoutMillis;
    private final int retryLimit;
    private final int retryIntervalMillis;
    private final AtomicLong throttledRetries = new AtomicLong();

    ApiCalls(KubernetesClient client, long timeoutMillis) {
        this.client = client;
        this.timeoutMillis = timeoutMillis;
        RequestConfig configured = client.getConfiguration().getRequestConfig();
        this.retryLimit = configured.getRequestRetryBackoffLimit() == null ? 0
                : Math.max(0, configured.getRequestRetryBackoffLimit());
        this.retryIntervalMillis = configured.getRequestRetryBackoffInterval() == null ? 0
                : Math.max(0, configured.getRequestRetryBackoffInterval());
        this.http = client.getHttpClient().newBuilder().tag(withoutRetries(configured)).build();
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "lifeboat-kube-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** The client's request configuration with fabric8's own retries off; the tag replaces the client's one. */
    private static RequestConfig withoutRetries(RequestConfig configured) {
        RequestConfig config = new RequestConfigBuilder(configured).withRequestRetryBackoffLimit(0).build();
        config.setImpersonateUsername(configured.getImpersonateUsername());
        config.setImpersonateGroups(configured.getImpersonateGroups());
        config.setImpersonateExtras(configured.getImpersonateExtras());
        return config;
    }

    /** How many 429 answers were waited out and sent again so far. */
    long throttledRetries() {
        return throttledRetries.get();
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

    /**
     * GET, or POST/PUT of a JSON body, retried as the class says, waiting for the answer; throws IOException for a
     * transport failure or a timeout that retries did not overcome, or when the calling thread is interrupted (the
     * request is then abandoned). A 429 or 5xx answer that retries did not overcome is returned. It is
     * {@link #sendAsync} waited on, so that both follow the same rules.
     */
    HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body) throws IOException {
        CompletableFuture<HttpResponse<byte[]>> answer = sendAsync(method, pathAndQuery, body);
        try {
            return answer.get();
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException(method + " " + pathAndQuery + " was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * GET, or POST/PUT of a JSON body, without waiting: retried as the class says, each wait (a 429's Retry-After, a
     * back-off) and each attempt's deadline a timer of {@link #TIMER}, so that no thread sleeps or blocks while the
     * request is under way. The future completes with the answer (a 429 or 5xx that retries did not overcome
     * included), or exceptionally with an IOException for a transport failure or a timeout that retries did not
     * overcome. It completes on the HTTP client's thread or the timer's, so what follows it should be quick or move
     * to a thread of its own. Cancelling it abandons the request: no retry follows.
     */
    CompletableFuture<HttpResponse<byte[]>> sendAsync(String method, String pathAndQuery, byte[] body) {
        Exchange exchange = new Exchange(method, pathAndQuery, body);
        exchange.attempt();
        return exchange.answer;
    }

    /** One request and its attempts, one after another; a retry is scheduled on the timer, never waited for. */
    private final class Exchange {
        private final CompletableFuture<HttpResponse<byte[]>> answer = new CompletableFuture<>();
        private final String method;
        private final String pathAndQuery;
        private final byte[] body;
        private final String url;
        private final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        private int failures;
        private int throttled;
        private volatile CompletableFuture<HttpResponse<byte[]>> sent;

        Exchange(String method, String pathAndQuery, byte[] body) {
            this.method = method;
            this.pathAndQuery = pathAndQuery;
            this.body = body;
            this.url = client.getMasterUrl().toString().replaceAll("/$", "") + "/" + pathAndQuery;
            answer.whenComplete((response, failure) -> {
                CompletableFuture<HttpResponse<byte[]>> attempt = sent;
                if (answer.isCancelled() && attempt != null) {
                    attempt.cancel(true);
                }
            });
        }

        /** Sends the request once, unless the answer is settled already (cancelled, or timed out). */
        void attempt() {
            if (answer.isDone()) {
                return;
            }
            CompletableFuture<HttpResponse<byte[]>> attempt;
            try {
                HttpRequest.Builder request = http.newHttpRequestBuilder().uri(url).header("Accept", "application/json");
                if (body != null) {
                    request.method(method, "application/json", new String(body, java.nio.charset.StandardCharsets.UTF_8));
                }
                attempt = http.sendAsync(request.build(), byte[].class);
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
                return;
            }
            sent = attempt;
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            ScheduledFuture<?> timeout = TIMER.schedule(() -> timedOut(attempt), left, TimeUnit.MILLISECONDS);
            attempt.whenComplete((response, failure) -> {
                timeout.cancel(false);
                if (!answer.isDone()) {
                    answered(response, failure);
                }
            });
        }

        /** The deadline passed with the attempt under way: the request timed out (and is not tried again). */
        private void timedOut(CompletableFuture<HttpResponse<byte[]>> attempt) {
            if (!attempt.isDone() && answer.completeExceptionally(new IOException(method + " " + pathAndQuery
                    + " timed out", new TimeoutException()))) {
                attempt.cancel(true);
            }
        }

        private void answered(HttpResponse<byte[]> response, Throwable failure) {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                IOException failed = new IOException(method + " " + pathAndQuery + " failed: " + cause.getMessage(), cause);
                long wait = backoffMillis(failures);
                // only an IOException may be tried again (a timeout or a cancellation may not)
                if (!(cause instanceof IOException) || failures >= retryLimit || !endsBefore(wait, deadline)) {
                    answer.completeExceptionally(failed);
                    return;
                }
                failures++;
                retryIn(wait);
                return;
            }
            if (response.code() == TOO_MANY_REQUESTS) {
                long wait = withJitter(retryAfterMillis(response.header("Retry-After")));
                if (throttled >= MAX_THROTTLED_RETRIES || !endsBefore(wait, deadline)) {
                    answer.complete(response);
                    return;
                }
                throttled++;
                throttledRetries.incrementAndGet();
                retryIn(wait);
                return;
            }
            if (response.code() >= 500 && failures < retryLimit) {
                String retryAfter = response.header("Retry-After");
                long wait = Math.max(backoffMillis(failures), retryAfter == null ? 0 : retryAfterMillis(retryAfter));
                if (endsBefore(wait, deadline)) {
                    failures++;
                    retryIn(wait);
                    return;
                }
            }
            answer.complete(response);
        }

        private void retryIn(long millis) {
            TIMER.schedule(this::attempt, millis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The wait a {@code Retry-After} asks for: whole seconds, at most {@value #MAX_RETRY_AFTER_SECONDS}; 1 s when the
     * header is absent, negative or not a number of seconds (the HTTP-date form included, which API servers do not
     * send).
     */
    static long retryAfterMillis(String header) {
        long seconds = 1;
        if (header != null) {
            try {
                long parsed = Long.parseLong(header.trim());
                if (parsed >= 0) {
                    seconds = Math.min(parsed, MAX_RETRY_AFTER_SECONDS);
                }
            } catch (NumberFormatException e) {
                // keep the default
            }
        }
        return TimeUnit.SECONDS.toMillis(seconds);
    }

    private static long withJitter(long millis) {
        return millis + ThreadLocalRandom.current().nextLong(millis / 5 + 1);
    }

    /** fabric8's back-off: the configured interval, doubled after each failure (up to 32 times the interval). */
    private long backoffMillis(int failures) {
        return (long) retryIntervalMillis << Math.min(failures, 5);
    }

    private static boolean endsBefore(long waitMillis, long deadline) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis) < deadline;
    }
}

package io.lifeboat.app.worker;

import io.lifeboat.work.Pause;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How an invocation Lambda refuses for now is tried again: up to {@code attempts} in all, waiting {@code first}, then
 * twice as long each time up to {@code cap}, each wait between half and all of that (jitter, so that the starts of one
 * slot that were throttled together do not come back together). Retried: throttling (429
 * TooManyRequestsException, EC2ThrottledException and the like), Lambda's own 5xx errors, and requests that never
 * got an answer. Anything else (no such function, no permission, a bad request) fails at once.
 */
public record InvocationRetry(int attempts, Duration first, Duration cap, Pause pause) {
    /** Six attempts over about 6 s at most: the last starts of a tick still end well within its 60 s. */
    public static final InvocationRetry DEFAULTS = new InvocationRetry(6, Duration.ofMillis(200), Duration.ofSeconds(3),
            Pause.SLEEP);

    public InvocationRetry {
        if (attempts < 1 || first.isNegative() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("at least one attempt, and a cap no shorter than the first wait");
        }
    }

    /** One attempt, no retry. */
    public static InvocationRetry none() {
        return new InvocationRetry(1, Duration.ZERO, Duration.ZERO, Pause.SLEEP);
    }

    /** Whether Lambda may take the same invocation a little later. */
    public static boolean retryable(SdkException e) {
        if (e instanceof SdkServiceException service) {
            return service.isThrottlingException() || service.statusCode() == 429 || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException; // no answer: the connection failed or timed out
    }

    /** The wait before attempt {@code attempt + 1} (attempt counts from 1). */
    Duration backoff(int attempt) {
        long full = first.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(full, cap.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
    }
}

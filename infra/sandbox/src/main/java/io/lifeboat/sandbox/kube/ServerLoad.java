package io.lifeboat.sandbox.kube;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How loaded the sandbox behaves: a fixed latency added to every answer, and a limit of requests in flight beyond
 * which requests are refused with 429 at once, as API Priority and Fairness does when its queues are full. Both are
 * off by default. The counters tell tests and benchmarks what the clients made of it.
 *
 * <p>The latency is not a sleep: the answer is computed at once by a worker thread and its sending is put off by a
 * Vert.x timer, so neither a thread nor the store is held meanwhile. A request stays "in flight" from the moment it
 * is let in until its answer is sent, so N requests sent together are all in flight during the same latency, as on a
 * real server.
 */
public final class ServerLoad {
    /** What a 429 asks the client to wait; kube-apiserver's API Priority and Fairness says 1 second too. */
    static final int RETRY_AFTER_SECONDS = 1;
    private final long latencyMillis;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    /** {@code maxInFlight} 0 means no limit; latency is kept to whole milliseconds. */
    ServerLoad(Duration latency, int maxInFlight) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + latency);
        }
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("maxInFlight must not be negative: " + maxInFlight);
        }
        this.latencyMillis = latency.toMillis();
        this.maxInFlight = maxInFlight;
    }

    /** The delay every answer gets (zero: none). */
    public Duration latency() {
        return Duration.ofMillis(latencyMillis);
    }

    /** Requests allowed in flight at once; 0 means no limit. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Requests being served right now (received, answer not yet sent). */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most requests that were in flight at once since the start or {@link #resetCounts()}. */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    /** Requests let in (not refused with 429). */
    public long admittedCount() {
        return admitted.get();
    }

    /** Requests refused with 429 TooManyRequests. */
    public long throttledCount() {
        return throttled.get();
    }

    /** Sets the counters to zero; the peak starts again from the requests in flight now. */
    public void resetCounts() {
        admitted.set(0);
        throttled.set(0);
        peakInFlight.set(inFlight.get());
    }

    /** Lets a request in, or says false (and counts a 429) when the limit is reached. */
    boolean enter() {
        while (true) {
            int now = inFlight.get();
            if (maxInFlight > 0 && now >= maxInFlight) {
                throttled.incrementAndGet();
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                peakInFlight.accumulateAndGet(now + 1, Math::max);
                admitted.incrementAndGet();
                return true;
            }
        }
    }

    /** Ends a request let in by {@link #enter()}: called just before its answer is sent, after the latency. */
    void leave() {
        inFlight.decrementAndGet();
    }
}

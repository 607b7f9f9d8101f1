package io.lifeboat.restore;

import java.util.HashMap;
import java.util.Map;

/**
 * The places of one restore step's applies under way: at most {@code stepLimit} of them, and {@code typeLimit} of one
 * type. The thread that feeds the step takes a place before it starts an apply, never waiting for one: when none is
 * free it feeds another type, or waits for a change ({@link #awaitChangeSince}). An apply gives its place back when
 * it has ended, from whatever thread ends it. The first apply that failed (not refused: failed, such as a progress
 * record that could not be written) is kept, so that the feeder fails the run with it: a failed apply never goes
 * unnoticed.
 */
final class ApplyWindow {
    private final int stepLimit;
    private final int typeLimit;
    private final Map<String, Integer> ofType = new HashMap<>();
    private int inFlight;
    private long changes;
    private Throwable failure;

    ApplyWindow(int stepLimit, int typeLimit) {
        this.stepLimit = stepLimit;
        this.typeLimit = typeLimit;
    }

    /** Takes a place for an apply of the type, when the step and the type have one free; false otherwise. */
    synchronized boolean tryEnter(String type) {
        int ofThisType = ofType.getOrDefault(type, 0);
        if (inFlight >= stepLimit || ofThisType >= typeLimit) {
            return false;
        }
        inFlight++;
        ofType.put(type, ofThisType + 1);
        return true;
    }

    /** Gives back the place of an apply of the type that has ended. */
    synchronized void leave(String type) {
        inFlight--;
        ofType.computeIfPresent(type, (t, n) -> n == 1 ? null : n - 1);
        changed();
    }

    /** An apply failed; the first failure is the one kept. */
    synchronized void failed(Throwable failure) {
        if (this.failure == null) {
            this.failure = ItemApplier.cause(failure);
        }
        changed();
    }

    /** Something the feeder waits for happened (a place freed, a type ready to be fed). */
    synchronized void changed() {
        changes++;
        notifyAll();
    }

    /** How many changes happened so far: what {@link #awaitChangeSince} is given. */
    synchronized long changes() {
        return changes;
    }

    /** Waits until a change happens after the {@code seen}-th one (at once when one has). */
    synchronized void awaitChangeSince(long seen) throws InterruptedException {
        while (changes == seen) {
            wait();
        }
    }

    /** Waits until every apply under way has ended. */
    synchronized void awaitEmpty() throws InterruptedException {
        while (inFlight > 0) {
            wait();
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    /** The first apply's failure, or null. */
    synchronized Throwable failure() {
        return failure;
    }
}

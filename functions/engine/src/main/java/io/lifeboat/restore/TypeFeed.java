package io.lifeboat.restore;

import io.lifeboat.discovery.ResourceType;

import java.util.concurrent.CompletableFuture;

/**
 * One type of a restore step while its items are fed to the applier: the target's side of it, being prepared on
 * another thread (its CRD awaited, its objects listed), and its judged items read from the spool one at a time, the
 * next one read ahead until a place is free for it. The spool's file is opened when the first item is read.
 */
final class TypeFeed implements AutoCloseable {
    /** The type as the target serves it, and what the target held of it when it was listed. */
    record Served(ResourceType type, LiveObjects listed) {
    }

    private final String folder;
    private final CompletableFuture<Served> served;
    private final ArchiveSpool spool;
    private ArchiveSpool.Cursor cursor;
    private ArchiveSpool.Item ahead;
    private boolean ended;

    /** {@code served} completes with null when the target does not serve the type. */
    TypeFeed(String folder, CompletableFuture<Served> served, ArchiveSpool spool) {
        this.folder = folder;
        this.served = served;
        this.spool = spool;
    }

    String folder() {
        return folder;
    }

    /** Whether the target's side is known (or failed to be). */
    boolean prepared() {
        return served.isDone();
    }

    /** The target's side, once {@link #prepared}: null when the type is not served; throws what preparing threw. */
    Served served() {
        try {
            return served.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /** The next item, read ahead and kept until it is {@link #take}n; null after the last. */
    ArchiveSpool.Item peek() {
        if (ahead == null && !ended) {
            if (cursor == null) {
                cursor = spool.cursor(folder);
            }
            ahead = cursor.next();
            ended = ahead == null;
        }
        return ahead;
    }

    /** Takes the item {@link #peek} read. */
    ArchiveSpool.Item take() {
        ArchiveSpool.Item item = peek();
        ahead = null;
        return item;
    }

    /** Whether every item was taken. */
    boolean finished() {
        return peek() == null;
    }

    @Override
    public void close() {
        if (cursor != null) {
            cursor.close();
        }
    }
}

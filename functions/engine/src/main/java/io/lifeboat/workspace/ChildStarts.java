package io.lifeboat.workspace;

import io.lifeboat.work.Fanout;

import java.util.List;
import java.util.function.Function;

/**
 * How a workspace run starts its children: {@link #CONCURRENCY} at once, each a few round trips (its record, an
 * invocation), so that the API call for a workspace of a thousand clusters answers in seconds. The children come
 * back in the order of the members.
 */
final class ChildStarts {
    /** Children being started at once, within one API call. */
    static final int CONCURRENCY = 32;

    private ChildStarts() {
    }

    static <T> List<WorkspaceRun.Child> each(List<T> members, Function<T, WorkspaceRun.Child> startOne) {
        return Fanout.map(members, CONCURRENCY, startOne);
    }
}

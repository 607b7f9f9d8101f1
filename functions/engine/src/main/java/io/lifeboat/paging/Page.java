package io.lifeboat.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list in name order: its items, and {@code next}, the name of its last item when more follow (null on
 * the last page). The next page starts after that name, so an item created meanwhile is never shown twice and no
 * item that existed all along is skipped.
 */
public record Page<T>(List<T> items, String next) {
    public Page {
        items = List.copyOf(items);
    }

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), next);
    }
}

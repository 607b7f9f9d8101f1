package io.lifeboat.paging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The one in-memory table the repository fakes share: items keyed by project and name, in name order within a
 * project, paged as the DynamoDB repositories page (after a name, at most a limit, filtered while read). Writes
 * are serialized, so a conditional one ({@link #updateIf}) is atomic; reads are not.
 */
public final class InMemoryTable<T> {
    private record Key(String project, String name) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int byProject = project.compareTo(o.project);
            return byProject != 0 ? byProject : name.compareTo(o.name);
        }
    }

    private final ConcurrentSkipListMap<Key, T> items = new ConcurrentSkipListMap<>();

    /** Stores a new item; false when the name is taken in the project. */
    public synchronized boolean putNew(String project, String name, T item) {
        return items.putIfAbsent(new Key(project, name), item) == null;
    }

    public Optional<T> get(String project, String name) {
        return Optional.ofNullable(items.get(new Key(project, name)));
    }

    /** Replaces an existing item with what {@code change} makes of it; nothing when there is none. */
    public synchronized void update(String project, String name, UnaryOperator<T> change) {
        updateIf(project, name, old -> true, change);
    }

    /** Replaces the item when {@code when} holds for it; returns whether it did (a conditional write). */
    public synchronized boolean updateIf(String project, String name, Predicate<T> when, UnaryOperator<T> change) {
        Key key = new Key(project, name);
        T old = items.get(key);
        if (old == null || !when.test(old)) {
            return false;
        }
        items.put(key, change.apply(old));
        return true;
    }

    public synchronized boolean remove(String project, String name) {
        return items.remove(new Key(project, name)) != null;
    }

    /** Every item of every project. */
    public List<T> all() {
        return List.copyOf(items.values());
    }

    /** One page of the project's items that {@code filter} takes, in name order. */
    public Page<T> page(String project, PageRequest page, Predicate<T> filter) {
        Map<Key, T> from = page.after() == null
                ? items.tailMap(new Key(project, ""), true)
                : items.tailMap(new Key(project, page.after()), false);
        List<T> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Map.Entry<Key, T> e : from.entrySet()) {
            if (!e.getKey().project().equals(project)) {
                break;
            }
            if (filter.test(e.getValue())) {
                found.add(e.getValue());
                names.add(e.getKey().name());
                if (found.size() > page.limit()) {
                    break;
                }
            }
        }
        if (found.size() <= page.limit()) {
            return new Page<>(found, null);
        }
        return new Page<>(found.subList(0, page.limit()), names.get(page.limit() - 1));
    }

    public Page<T> page(String project, PageRequest page) {
        return page(project, page, item -> true);
    }
}

package io.lifeboat.sandbox.kube;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The sandbox's object store: for each type (group, version, plural) a sorted map from (namespace, name) to the
 * object's JSON as last written, like etcd's keys {@code /registry/<type>/<namespace>/<name>}, and one
 * resourceVersion counter for the whole store.
 *
 * <p>Concurrency: the maps are concurrent skip lists, so reads (gets and list scans) take no lock and never wait for a
 * write, and writes to different objects go on side by side. A write to one object is a compare-and-set against the
 * value it was computed from ({@link #replace}), so two writers of one object cannot both win; the loser is told, as
 * etcd's transactions tell the API server. A list scan sees each object as it was at some moment during the scan
 * (weakly consistent), where a real server reads one etcd revision.
 *
 * <p>Every change is told to the watchers registered at that moment ({@link #watch}), after it is made.
 */
final class StoredObjects {
    /** One resource type of the store; {@code group} is empty for the core group. */
    record TypeKey(String group, String version, String plural) {
    }

    /** One object of a type; {@code namespace} is empty for a cluster-scoped object. */
    record ObjectKey(String namespace, String name) implements Comparable<ObjectKey> {
        @Override
        public int compareTo(ObjectKey other) {
            int byNamespace = namespace.compareTo(other.namespace);
            return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
        }
    }

    /** An object as stored: its JSON, and what lists filter on without parsing it. */
    record Stored(String json, Map<String, String> labels, long resourceVersion) {
    }

    /** A change, told to watchers: ADDED, MODIFIED or DELETED, with the object's JSON after (or, deleted, before). */
    record Change(TypeKey type, ObjectKey key, String kind, Stored object) {
    }

    /** Told of every change of its type after it is made; must not block. */
    interface Watcher {
        TypeKey type();

        void changed(Change change);
    }

    private final Map<TypeKey, ConcurrentSkipListMap<ObjectKey, Stored>> types = new ConcurrentHashMap<>();
    private final AtomicLong resourceVersion = new AtomicLong(1);
    private final Collection<Watcher> watchers = new CopyOnWriteArrayList<>();
    /** Counts changes of CustomResourceDefinitions, so that discovery can tell when its view is stale. */
    private final AtomicLong definitionChanges = new AtomicLong();

    private ConcurrentSkipListMap<ObjectKey, Stored> of(TypeKey type) {
        return types.computeIfAbsent(type, t -> new ConcurrentSkipListMap<>());
    }

    /** The next resourceVersion; every write takes one. */
    long nextResourceVersion() {
        return resourceVersion.incrementAndGet();
    }

    /** The resourceVersion of the last write, which a list answers with. */
    long currentResourceVersion() {
        return resourceVersion.get();
    }

    /** How many times a CustomResourceDefinition was written or deleted so far. */
    long definitionChanges() {
        return definitionChanges.get();
    }

    Optional<Stored> get(TypeKey type, ObjectKey key) {
        ConcurrentSkipListMap<ObjectKey, Stored> objects = types.get(type);
        return objects == null ? Optional.empty() : Optional.ofNullable(objects.get(key));
    }

    /** Stores a new object; false (and nothing changed) when one of that key exists. */
    boolean create(TypeKey type, ObjectKey key, Stored object) {
        if (of(type).putIfAbsent(key, object) != null) {
            return false;
        }
        changed(new Change(type, key, "ADDED", object));
        return true;
    }

    /** Replaces the object if it is still {@code expected}; false when another write came first. */
    boolean replace(TypeKey type, ObjectKey key, Stored expected, Stored object) {
        if (!of(type).replace(key, expected, object)) {
            return false;
        }
        changed(new Change(type, key, "MODIFIED", object));
        return true;
    }

    /** Removes the object if it is still {@code expected}; false when another write came first. */
    boolean remove(TypeKey type, ObjectKey key, Stored expected) {
        if (!of(type).remove(key, expected)) {
            return false;
        }
        changed(new Change(type, key, "DELETED", expected));
        return true;
    }

    /**
     * The objects of a type in key order (namespace, then name), in one namespace when it is not null, that the
     * filter keeps.
     */
    List<Map.Entry<ObjectKey, Stored>> list(TypeKey type, String namespace, Predicate<Map.Entry<ObjectKey, Stored>> filter) {
        ConcurrentSkipListMap<ObjectKey, Stored> objects = types.get(type);
        if (objects == null) {
            return List.of();
        }
        NavigableMap<ObjectKey, Stored> range = namespace == null ? objects
                : objects.subMap(new ObjectKey(namespace, ""), true, new ObjectKey(namespace + "\0", ""), false);
        List<Map.Entry<ObjectKey, Stored>> found = new ArrayList<>();
        for (Map.Entry<ObjectKey, Stored> entry : range.entrySet()) {
            if (filter.test(entry)) {
                found.add(Map.entry(entry.getKey(), entry.getValue()));
            }
        }
        return found;
    }

    /** Every type that holds objects now. */
    List<TypeKey> typesHeld() {
        List<TypeKey> held = new ArrayList<>();
        types.forEach((type, objects) -> {
            if (!objects.isEmpty()) {
                held.add(type);
            }
        });
        return held;
    }

    void watch(Watcher watcher) {
        watchers.add(watcher);
    }

    void unwatch(Watcher watcher) {
        watchers.remove(watcher);
    }

    /** Empties the store. */
    void clear() {
        types.clear();
        definitionChanges.incrementAndGet();
    }

    private void changed(Change change) {
        if (change.type().plural().equals("customresourcedefinitions")) {
            definitionChanges.incrementAndGet();
        }
        for (Watcher watcher : watchers) {
            if (watcher.type().equals(change.type())) {
                watcher.changed(change);
            }
        }
    }
}

package io.lifeboat.sandbox.kube;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's keys by version, plural and name. The mock finds the object a create, replace or patch is about by
 * scanning the whole store, which makes filling it quadratic; with this index it looks at the few keys that share
 * those three values and applies the mock's own matching to them, so the answer is the same.
 */
final class IdentityIndex {
    private static final String VERSION = "version";
    private static final String PLURAL = "plural";
    private static final String NAME = "name";

    private record Identity(String version, String plural, String name) {
    }

    private final Map<Identity, List<AttributeSet>> keys = new HashMap<>();

    /** Null when the attributes lack version, plural or name, and so cannot be looked up here. */
    private static Identity identityOf(AttributeSet attributes) {
        String version = single(attributes, VERSION);
        String plural = single(attributes, PLURAL);
        String name = single(attributes, NAME);
        return version == null || plural == null || name == null ? null : new Identity(version, plural, name);
    }

    private static String single(AttributeSet attributes, String key) {
        Attribute attribute = attributes.getAttribute(key);
        if (attribute == null || attribute.getValues().size() != 1) {
            return null;
        }
        return attribute.getValues().get(0).toString();
    }

    /** Whether the query can be answered here (it names version, plural and name). */
    boolean canAnswer(AttributeSet query) {
        return identityOf(query) != null;
    }

    /** Stored keys that match the query, in the order they were stored. */
    synchronized List<AttributeSet> matching(AttributeSet query) {
        List<AttributeSet> candidates = keys.get(identityOf(query));
        List<AttributeSet> found = new ArrayList<>();
        if (candidates != null) {
            for (AttributeSet candidate : candidates) {
                if (candidate.matches(query)) {
                    found.add(candidate);
                }
            }
        }
        return found;
    }

    /** Returns false when the key cannot be indexed. */
    synchronized boolean add(AttributeSet key) {
        Identity identity = identityOf(key);
        if (identity == null) {
            return false;
        }
        List<AttributeSet> list = keys.computeIfAbsent(identity, i -> new ArrayList<>(1));
        list.remove(key);
        list.add(key);
        return true;
    }

    synchronized void remove(AttributeSet key) {
        Identity identity = identityOf(key);
        if (identity == null) {
            return;
        }
        List<AttributeSet> list = keys.get(identity);
        if (list != null) {
            list.remove(key);
            if (list.isEmpty()) {
                keys.remove(identity);
            }
        }
    }

    synchronized void clear() {
        keys.clear();
    }
}

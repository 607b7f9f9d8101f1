package io.lifeboat.objectstore;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** One bucket in memory, for tests of code above the store. {@link #failWith} makes every call fail. */
public final class InMemoryObjectStore implements ObjectStore {
    private final NavigableMap<String, byte[]> objects = new ConcurrentSkipListMap<>();
    private volatile StoreException failure;

    public void failWith(StoreException failure) {
        this.failure = failure;
    }

    public Map<String, byte[]> objects() {
        return objects;
    }

    private void maybeFail() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void checkBucket() {
        maybeFail();
    }

    @Override
    public void put(String key, byte[] content) {
        maybeFail();
        objects.put(key, content.clone());
    }

    @Override
    public byte[] get(String key) {
        maybeFail();
        byte[] content = objects.get(key);
        if (content == null) {
            throw new StoreException("NoSuchKey", "no object " + key);
        }
        return content.clone();
    }

    @Override
    public List<String> list(String prefix) {
        maybeFail();
        return objects.subMap(prefix, true, prefix + Character.MAX_VALUE, false).keySet().stream().toList();
    }

    @Override
    public void delete(String key) {
        maybeFail();
        objects.remove(key);
    }
}

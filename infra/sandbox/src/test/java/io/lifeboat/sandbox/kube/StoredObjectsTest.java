package io.lifeboat.sandbox.kube;

import io.lifeboat.sandbox.kube.StoredObjects.ObjectKey;
import io.lifeboat.sandbox.kube.StoredObjects.Stored;
import io.lifeboat.sandbox.kube.StoredObjects.TypeKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store: reads never wait for writes, writes of different objects go on together, one object has one winner. */
class StoredObjectsTest {
    private static final TypeKey CONFIG_MAPS = new TypeKey("", "v1", "configmaps");

    private static Stored object(String name, long version) {
        return new Stored("{\"metadata\":{\"name\":\"" + name + "\"}}", Map.of(), version);
    }

    @Test
    void aWriteGoesThroughWhileAListIsHalfWayThroughItsScan() throws Exception {
        StoredObjects store = new StoredObjects();
        for (int i = 0; i < 10; i++) {
            store.create(CONFIG_MAPS, new ObjectKey("a", "cm-" + i), object("cm-" + i, i));
        }
        CountDownLatch scanning = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        CompletableFuture<Integer> listed = CompletableFuture.supplyAsync(() -> store.list(CONFIG_MAPS, "a", e -> {
            scanning.countDown();
            try {
                // the scan holds here until the write is done: were writes to wait for reads, neither would end
                assertTrue(written.await(10, TimeUnit.SECONDS), "the write waited for the list");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return true;
        }).size());
        assertTrue(scanning.await(10, TimeUnit.SECONDS));
        assertTrue(store.create(CONFIG_MAPS, new ObjectKey("b", "other"), object("other", 99)));
        written.countDown();
        assertEquals(10, listed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void ofTwoWritersOfOneObjectFromTheSameVersionOnlyOneWins() {
        StoredObjects store = new StoredObjects();
        ObjectKey key = new ObjectKey("a", "x");
        Stored first = object("x", 1);
        store.create(CONFIG_MAPS, key, first);
        assertFalse(store.create(CONFIG_MAPS, key, object("x", 2)), "a second create of one key");
        assertTrue(store.replace(CONFIG_MAPS, key, first, object("x", 3)));
        assertFalse(store.replace(CONFIG_MAPS, key, first, object("x", 4)), "computed from a version that is gone");
        assertFalse(store.remove(CONFIG_MAPS, key, first));
        assertEquals(3, store.get(CONFIG_MAPS, key).orElseThrow().resourceVersion());
    }

    @Test
    void listsAreInNamespaceThenNameOrderAndANamespaceIsItsOwnRange() {
        StoredObjects store = new StoredObjects();
        for (String[] k : new String[][]{{"b", "2"}, {"a", "9"}, {"ab", "1"}, {"a", "10"}, {"", "cluster"}}) {
            store.create(CONFIG_MAPS, new ObjectKey(k[0], k[1]), object(k[1], 1));
        }
        assertEquals(List.of("cluster", "10", "9", "1", "2"),
                store.list(CONFIG_MAPS, null, e -> true).stream().map(e -> e.getKey().name()).toList());
        assertEquals(List.of("10", "9"),
                store.list(CONFIG_MAPS, "a", e -> true).stream().map(e -> e.getKey().name()).toList());
    }
}

package io.lifeboat.objectstore;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bucket that never answers: every call but close blocks, deaf to interrupts, until {@link #release}. For tests
 * that one hanging location holds up no other.
 */
public final class HangingObjectStore {
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();

    public ObjectStore store() {
        return (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(), new Class<?>[]{ObjectStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    calls.incrementAndGet();
                    while (true) {
                        try {
                            released.await();
                            break;
                        } catch (InterruptedException ignored) {
                            // a hung socket read does not end on an interrupt either
                        }
                    }
                    throw new StoreException("Released", "the test released the hanging store");
                });
    }

    /** How many calls have blocked. */
    public int calls() {
        return calls.get();
    }

    public void release() {
        released.countDown();
    }
}

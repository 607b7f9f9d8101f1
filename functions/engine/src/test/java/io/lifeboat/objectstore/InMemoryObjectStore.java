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
        refuse(key);
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
        Retention lock = locks.get(key);
        if (lock != null && lock.locksAt(lockClock.instant())) {
            refusedDeletes.add(key);
            throw new StoreException("AccessDenied", "object " + key + " is locked until " + lock.retainUntil());
        }
        objects.remove(key);
        locks.remove(key);
    }

    @Override
    public void checkRetention() {
        maybeFail();
        if (!locking) {
            throw new StoreException(IMMUTABILITY_NOT_ENABLED, "this in-memory bucket has no object lock");
        }
    }

    @Override
    public void put(String key, byte[] content, Retention retention) {
        if (retention != null) {
            checkRetention();
            locks.put(key, retention);
        }
        put(key, content);
    }

    @Override
    public Upload upload(String key, Retention retention) {
        if (retention != null) {
            checkRetention();
            lockOnCommit.put(key, retention);
        }
        return upload(key);
    }

    /** Every object, with its lock's end; this bucket keeps no older versions. */
    @Override
    public List<StoredVersion> versions(String prefix) {
        maybeFail();
        return list(prefix).stream().map(key -> new StoredVersion(key, null,
                locks.containsKey(key) ? locks.get(key).retainUntil() : null)).toList();
    }

    private final Map<String, Retention> locks = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Retention> lockOnCommit = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> refusedDeletes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean locking;
    private volatile java.time.Clock lockClock = java.time.Clock.systemUTC();

    /** Makes this bucket one that can lock objects (Object Lock enabled), judging locks by {@code clock}. */
    public void enableLocking(java.time.Clock clock) {
        this.locking = true;
        this.lockClock = clock;
    }

    /** The lock each object was written with. */
    public Map<String, Retention> locks() {
        return locks;
    }

    /** The deletes refused because the object was locked: a caller that tried one broke its promise. */
    public List<String> refusedDeletes() {
        return refusedDeletes;
    }

    /** Counts the bytes written; {@link #failUploadsAfter} makes an upload fail part-way. */
    @Override
    public Upload upload(String key) {
        maybeFail();
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        return new Upload() {

            @Override
            public void write(byte[] b, int off, int len) {
                if (failUploadsAfter >= 0 && buffer.size() + len > failUploadsAfter) {
                    throw new StoreException("Error", "the store went away mid-upload");
                }
                buffer.write(b, off, len);
            }

            @Override
            protected long doCommit() {
                maybeFail();
                refuse(key);
                byte[] content = buffer.toByteArray();
                if (truncateOnCommit != null && key.endsWith(truncateOnCommit)) {
                    content = java.util.Arrays.copyOf(content, content.length - 1);
                }
                if (corruptOnCommit != null && key.endsWith(corruptOnCommit) && content.length > 0) {
                    content[content.length / 2] ^= 0x5A;
                }
                objects.put(key, content);
                Retention lock = lockOnCommit.remove(key);
                if (lock != null) {
                    locks.put(key, lock);
                }
                return buffer.size();
            }

            @Override
            protected void doAbort() {
                aborted.add(key);
            }

            @Override
            public boolean verifiedByStore() {
                return verifiesUploads;
            }
        };
    }

    @Override
    public java.io.InputStream download(String key) {
        downloads.add(key);
        return new java.io.ByteArrayInputStream(get(key));
    }

    @Override
    public long size(String key) {
        return get(key).length;
    }

    private volatile long failUploadsAfter = -1;
    private final java.util.List<String> aborted = new java.util.concurrent.CopyOnWriteArrayList<>();

    private volatile String truncateOnCommit;
    private volatile String corruptOnCommit;
    private volatile boolean verifiesUploads;
    private final java.util.List<String> downloads = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Streamed uploads to keys ending so have one byte changed, their size kept: a store that corrupts silently. */
    public void corruptOnCommit(String keySuffix) {
        this.corruptOnCommit = keySuffix;
    }

    /** Whether uploads say the store checked them against a checksum sent with them (as Amazon S3 does). */
    public void verifiesUploads(boolean verifies) {
        this.verifiesUploads = verifies;
    }

    /** The keys read with {@link #download}, in order. */
    public java.util.List<String> downloads() {
        return downloads;
    }

    /** Streamed uploads to keys ending so lose their last byte: a store that silently stores less than it got. */
    public void truncateOnCommit(String keySuffix) {
        this.truncateOnCommit = keySuffix;
    }

    private volatile String refuseWrites;

    /** Puts and commits to keys ending so fail, the others go on: a store that refuses one object of several. */
    public void refuseWritesOf(String keySuffix) {
        this.refuseWrites = keySuffix;
    }

    private void refuse(String key) {
        if (refuseWrites != null && key.endsWith(refuseWrites)) {
            throw new StoreException("InternalError", "the store refused " + key);
        }
    }

    public void failUploadsAfter(long bytes) {
        this.failUploadsAfter = bytes;
    }

    public java.util.List<String> aborted() {
        return aborted;
    }
}

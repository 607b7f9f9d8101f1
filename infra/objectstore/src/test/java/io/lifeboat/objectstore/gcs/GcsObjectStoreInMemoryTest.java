package io.lifeboat.objectstore.gcs;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.lifeboat.objectstore.StoreException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * GcsObjectStore over google-cloud-nio's in-memory Storage (the only GCS stand-in to be had offline). It runs the
 * real Storage API calls, but not HTTP: paging, errors and credentials are covered by GcsServiceAccountTest.
 * Its paging is broken (asked for pages of 3 out of 10 objects, it returned 3 objects in all, skipping some), so
 * the store's own page size of 1000 is kept here.
 */
class GcsObjectStoreInMemoryTest {
    private final Storage storage = LocalStorageHelper.getOptions().getService();
    // The in-memory Storage has no buckets: every name works, so NoSuchBucket cannot be seen here.
    private final GcsObjectStore store = new GcsObjectStore(storage, "lifeboat-test");

    @Test
    void writesReadsListsAndDeletes() {
        byte[] archive = "a cluster's backup".getBytes(StandardCharsets.UTF_8);
        store.checkBucket();
        store.put("clusters/prod/b2.tar.gz", archive);
        store.put("clusters/prod/b1.tar.gz", new byte[0]);
        store.put("clusters/prodution-like/b1.tar.gz", archive);
        store.put("clusters/staging/b1.tar.gz", archive);

        assertArrayEquals(archive, store.get("clusters/prod/b2.tar.gz"));
        assertArrayEquals(new byte[0], store.get("clusters/prod/b1.tar.gz"));
        assertEquals(List.of("clusters/prod/b1.tar.gz", "clusters/prod/b2.tar.gz"), store.list("clusters/prod/"));
        assertEquals(4, store.list("clusters/").size());

        store.put("clusters/prod/b2.tar.gz", "replaced".getBytes(StandardCharsets.UTF_8));
        assertEquals("replaced", new String(store.get("clusters/prod/b2.tar.gz"), StandardCharsets.UTF_8));

        store.delete("clusters/prod/b2.tar.gz");
        store.delete("clusters/prod/b2.tar.gz");
        assertEquals(List.of("clusters/prod/b1.tar.gz"), store.list("clusters/prod/"));
        assertEquals(List.of(), store.list("nothing-here/"));
    }

    @Test
    void streamedUploadsCommitAndReadBack() throws Exception {
        byte[] big = new byte[9 * 1024 * 1024 + 7];
        new java.util.Random(5).nextBytes(big);
        io.lifeboat.objectstore.Upload upload = store.upload("stream/archive.tar.gz");
        for (int off = 0; off < big.length; off += 1 << 20) {
            upload.write(big, off, Math.min(1 << 20, big.length - off));
        }
        assertEquals(big.length, upload.commit());
        assertEquals(big.length, store.size("stream/archive.tar.gz"));
        try (java.io.InputStream in = store.download("stream/archive.tar.gz")) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(big, in.readAllBytes());
        }
        assertEquals("NoSuchKey", org.junit.jupiter.api.Assertions.assertThrows(io.lifeboat.objectstore.StoreException.class,
                () -> store.size("stream/none")).reason());
    }

    @Test
    void readingAMissingObjectIsNoSuchKey() {
        StoreException e = assertThrows(StoreException.class, () -> store.get("clusters/none.tar.gz"));
        assertEquals("NoSuchKey", e.reason(), e.getMessage());
    }
}

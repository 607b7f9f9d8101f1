package io.lifeboat.objectstore.gcs;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.Upload;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A GCS upload compares the CRC32C of the bytes written with the stored object's, once the writer is closed. No GCS
 * server can be had offline: the in-memory Storage has no CRC32C at all, and {@link Crc32cStorage} adds one computed
 * from the stored bytes, as GCS does; {@link FakeGcsObjects} plays the JSON API's resumable upload for the real HTTP
 * client.
 */
class GcsUploadCrc32cTest {
    static byte[] data(int size, int seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static void write(Upload upload, byte[] data) {
        for (int off = 0; off < data.length; off += 1 << 20) {
            upload.write(data, off, Math.min(1 << 20, data.length - off));
        }
    }

    @Test
    void anUploadStoredWithTheCrc32cOfItsBytesIsVerified() throws Exception {
        Storage storage = Crc32cStorage.over(LocalStorageHelper.getOptions().getService(), false);
        GcsObjectStore store = new GcsObjectStore(storage, "lifeboat-test");
        byte[] data = data(9 * 1024 * 1024 + 3, 31);
        Upload upload = store.upload("stream/archive.tar.gz");
        write(upload, data);
        assertEquals(data.length, upload.commit());
        assertTrue(upload.verifiedByStore());
        try (InputStream in = store.download("stream/archive.tar.gz")) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void anObjectStoredWithOtherBytesFailsTheCommitAndIsDeleted() {
        Storage storage = Crc32cStorage.over(LocalStorageHelper.getOptions().getService(), true);
        GcsObjectStore store = new GcsObjectStore(storage, "lifeboat-test");
        Upload upload = store.upload("stream/changed.tar.gz");
        write(upload, data(3 * 1024 * 1024, 32));
        StoreException e = assertThrows(StoreException.class, upload::commit);
        assertEquals("VerificationFailed", e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("stream/changed.tar.gz"), e.getMessage());
        assertEquals(List.of(), store.list("stream/"), "the wrong object was deleted again");
    }

    /** The real client over HTTP: a resumable upload in two chunks, then the object's metadata. */
    @Test
    void overHttpTheStoredCrc32cIsReadAndCompared() throws Exception {
        try (FakeGcsObjects gcs = new FakeGcsObjects();
             Storage storage = StorageOptions.http().setHost(gcs.url()).setProjectId("lifeboat-test")
                     .setCredentials(NoCredentials.getInstance()).build().getService()) {
            GcsObjectStore store = new GcsObjectStore(storage, "lifeboat-backups");
            byte[] data = data(9 * 1024 * 1024 + 5, 34);
            Upload upload = store.upload("clusters/b1.tar.gz");
            write(upload, data);
            assertEquals(data.length, upload.commit());
            assertTrue(upload.verifiedByStore());
            assertArrayEquals(data, gcs.stored("lifeboat-backups", "clusters/b1.tar.gz"));
            // the client sends its own CRC32C of the whole with the last chunk, which GCS checks as well
            assertEquals("crc32c=" + Crc32cStorage.crc32c(data), gcs.finalHashes.get(0));

            gcs.corruptStores = true;
            Upload changed = store.upload("clusters/b2.tar.gz");
            write(changed, data);
            StoreException e = assertThrows(StoreException.class, changed::commit);
            assertEquals("VerificationFailed", e.reason(), e.getMessage());
            assertEquals(List.of("lifeboat-backups/clusters/b2.tar.gz"), gcs.deleted);
        }
    }

    @Test
    void anObjectWithoutACrc32cIsNotVerifiedSoItIsReadBack() {
        GcsObjectStore store = new GcsObjectStore(LocalStorageHelper.getOptions().getService(), "lifeboat-test");
        Upload upload = store.upload("stream/plain.tar.gz");
        write(upload, data(1000, 33));
        upload.commit();
        assertFalse(upload.verifiedByStore(), "the in-memory Storage keeps no CRC32C");
    }
}

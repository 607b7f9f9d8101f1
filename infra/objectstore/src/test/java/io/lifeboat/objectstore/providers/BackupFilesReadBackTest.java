package io.lifeboat.objectstore.providers;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.lifeboat.archive.ArchiveWriter;
import io.lifeboat.archive.Layout;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.backup.BackupFiles;
import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.Upload;
import io.lifeboat.objectstore.gcs.GcsObjectStore;
import io.lifeboat.objectstore.s3.S3Clients;
import io.lifeboat.sandbox.s3proxy.S3ProxyServer;
import io.minio.MakeBucketArgs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backup's files written through the real store adapters: where the store proves what it stored (the part
 * ETags s3proxy answers, for the aws and minio providers), BackupFiles does not download the archive to check it;
 * where it cannot (google-cloud-nio's in-memory Storage keeps no CRC32C), it reads it back.
 */
class BackupFilesReadBackTest {
    @TempDir
    static Path work;
    static S3ProxyServer s3proxy;
    final ProviderObjectStoreFactory factory = ProviderObjectStoreFactory.standard(S3Clients.StsAccess.defaults(),
            OutboundPolicy.localMode());

    @BeforeAll
    static void start() throws Exception {
        s3proxy = S3ProxyServer.builder().workFolder(work).start();
        try (io.minio.MinioClient admin = io.minio.MinioClient.builder().endpoint(s3proxy.url())
                .credentials(s3proxy.accessKey(), s3proxy.secretKey()).build()) {
            admin.makeBucket(MakeBucketArgs.builder().bucket("backups").build());
        }
    }

    @AfterAll
    static void stop() {
        s3proxy.close();
    }

    static Location location(Provider provider) {
        Map<LocationField, String> f = new EnumMap<>(LocationField.class);
        f.put(LocationField.REGION, "us-east-1");
        f.put(LocationField.S3_URL, s3proxy.url());
        f.put(LocationField.FORCE_PATH_STYLE, "true");
        f.put(LocationField.ACCESS_KEY_ID, s3proxy.accessKey());
        f.put(LocationField.SECRET_ACCESS_KEY, s3proxy.secretKey());
        return new Location("default", "l", provider, "backups", "team-a", f, LocationStatus.pending(), Instant.now());
    }

    @Test
    void anArchiveTheStoreProvedIsNotDownloaded() throws Exception {
        for (Provider provider : List.of(Provider.AWS, Provider.MINIO)) {
            try (ObjectStore opened = factory.open(location(provider))) {
                Downloads store = new Downloads(opened);
                String backup = "proved-" + provider.wireName();
                BackupFiles files = write(store, backup, 9 * 1024 * 1024 + 17);
                assertTrue(files.tarballVerifiedByStore(), provider.toString());
                assertTrue(store.keys.isEmpty(), provider + " read back " + store.keys);
            }
        }
    }

    @Test
    void anArchiveNoStoreProvedIsDownloadedAndChecked() throws Exception {
        Downloads store = new Downloads(new GcsObjectStore(LocalStorageHelper.getOptions().getService(), "backups"));
        BackupFiles files = write(store, "unproved", 300_000);
        assertFalse(files.tarballVerifiedByStore());
        assertEquals(List.of(Layout.backupObject("team-a", "unproved", BackupFile.TARBALL)), store.keys);
    }

    /** Writes a backup's three streamed files, the archive being random bytes, and commits them. */
    private static BackupFiles write(ObjectStore store, String backup, int archiveBytes) throws Exception {
        byte[] archive = new byte[archiveBytes];
        new Random(archiveBytes).nextBytes(archive);
        BackupFiles files = new BackupFiles(store, "team-a", backup);
        OutputStream tarball = files.tarball();
        tarball.write(archive);
        files.resourceList().write("{}".getBytes());
        files.manifest().write("{}".getBytes());
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
        files.commitUploads(new ArchiveWriter.Summary(1, archive.length, sha256));
        return files;
    }

    /** Passes every call on, and remembers the keys downloaded. */
    static final class Downloads implements ObjectStore {
        private final ObjectStore store;
        final List<String> keys = new CopyOnWriteArrayList<>();

        Downloads(ObjectStore store) {
            this.store = store;
        }

        @Override
        public InputStream download(String key) {
            keys.add(key);
            return store.download(key);
        }

        @Override
        public void checkBucket() {
            store.checkBucket();
        }

        @Override
        public void put(String key, byte[] content) {
            store.put(key, content);
        }

        @Override
        public byte[] get(String key) {
            return store.get(key);
        }

        @Override
        public List<String> list(String prefix) {
            return store.list(prefix);
        }

        @Override
        public void delete(String key) {
            store.delete(key);
        }

        @Override
        public Upload upload(String key) {
            return store.upload(key);
        }

        @Override
        public long size(String key) {
            return store.size(key);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}

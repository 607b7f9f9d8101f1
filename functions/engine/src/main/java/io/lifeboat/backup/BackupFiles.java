package io.lifeboat.backup;

import io.lifeboat.archive.ArchiveWriter;
import io.lifeboat.archive.Layout;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.Upload;
import io.lifeboat.work.Fanout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The files of one backup in its location, in Velero's layout ({@link Layout}): three streamed (multipart) uploads
 * opened at once (the tarball, and the gzip resource list and Lifeboat manifest) and committed together, the
 * tarball's stored size checked and, unless its store proved it holds what was written
 * ({@link Upload#verifiedByStore()}), read back to check its SHA-256 (the store's proof, where it gives one, is the
 * adapters': see {@code Upload}); then the small files, each put whole; and last a check that every object is stored
 * with the size written. Requests that do not depend on each other are sent together ({@link #TOGETHER} at most), since
 * each costs a round trip to the store. {@link #cleanUp} aborts the uploads and deletes what was written, so that a
 * failed backup leaves nothing behind.
 */
public final class BackupFiles {
    private static final int GZIP_BUFFER = 64 * 1024;
    /** Store requests sent at once. */
    static final int TOGETHER = 4;

    private final ObjectStore store;
    private final String prefix;
    private final String backup;
    private final Upload tarball;
    private final Upload resourceList;
    private final Upload manifest;
    private final GZIPOutputStream resourceListGzip;
    private final GZIPOutputStream manifestGzip;
    /** Every object written, and its size. */
    private final Map<String, Long> committed = Collections.synchronizedMap(new LinkedHashMap<>());

    /** Opens the three uploads. */
    public BackupFiles(ObjectStore store, String prefix, String backup) {
        this.store = store;
        this.prefix = prefix;
        this.backup = backup;
        this.tarball = store.upload(key(BackupFile.TARBALL));
        this.resourceList = store.upload(key(BackupFile.RESOURCE_LIST));
        this.manifest = store.upload(key(BackupFile.LIFEBOAT_MANIFEST));
        try {
            this.resourceListGzip = new GZIPOutputStream(resourceList, GZIP_BUFFER);
            this.manifestGzip = new GZIPOutputStream(manifest, GZIP_BUFFER);
        } catch (IOException e) {
            cleanUp();
            throw new UncheckedIOException(e);
        }
    }

    private String key(BackupFile file) {
        return Layout.backupObject(prefix, backup, file);
    }

    /** The tarball's upload, raw: the archive writer compresses it. */
    public OutputStream tarball() {
        return tarball;
    }

    /** The resource list's upload, through gzip. */
    public OutputStream resourceList() {
        return resourceListGzip;
    }

    /** Lifeboat manifest's upload, through gzip. */
    public OutputStream manifest() {
        return manifestGzip;
    }

    /**
     * Ends the gzip streams, commits the three uploads together, then checks the tarball: its stored size, and unless
     * the store proved it, its SHA-256 read back. Every upload that committed is recorded, even when another failed,
     * so that {@link #cleanUp} deletes it.
     */
    public void commitUploads(ArchiveWriter.Summary archive) {
        try {
            resourceListGzip.finish();
            manifestGzip.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<BackupFile, Upload> uploads = Map.of(BackupFile.TARBALL, tarball, BackupFile.RESOURCE_LIST, resourceList,
                BackupFile.LIFEBOAT_MANIFEST, manifest);
        Fanout.map(List.copyOf(uploads.keySet()), TOGETHER,
                file -> {
                    committed.put(key(file), uploads.get(file).commit());
                    return file;
                });
        verifySizes(Map.of(key(BackupFile.TARBALL), archive.sizeBytes()));
        if (!tarball.verifiedByStore()) {
            verifyChecksum(key(BackupFile.TARBALL), archive);
        }
    }

    /** Writes a small file whole. */
    public void put(BackupFile file, byte[] content) {
        store.put(key(file), content);
        committed.put(key(file), (long) content.length);
    }

    /** Writes small files whole, together; each one written is recorded, even when another failed. */
    public void putAll(Map<BackupFile, byte[]> contents) {
        Fanout.map(List.copyOf(contents.keySet()), TOGETHER, file -> {
            put(file, contents.get(file));
            return file;
        });
    }

    /** Every object the backup wrote must be stored whole: its stored size is the size written. */
    public void verifySizes() {
        Map<String, Long> written;
        synchronized (committed) {
            written = new LinkedHashMap<>(committed);
        }
        verifySizes(written);
    }

    private void verifySizes(Map<String, Long> written) {
        Fanout.map(List.copyOf(written.keySet()), TOGETHER, key -> {
            long stored = store.size(key);
            long size = written.get(key);
            if (stored != size) {
                throw new StoreException("VerificationFailed", key + " is stored with " + stored + " bytes, "
                        + size + " were written");
            }
            return key;
        });
    }

    /** Whether the tarball's store checked it against a checksum sent with it, so that it was not read back. */
    public boolean tarballVerifiedByStore() {
        return tarball.verifiedByStore();
    }

    /** Reads the archive back: its SHA-256 must be what was written. */
    private void verifyChecksum(String key, ArchiveWriter.Summary summary) {
        MessageDigest digest = sha256();
        try (InputStream in = store.download(key)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new StoreException("VerificationFailed", "the stored archive could not be read back: " + e.getMessage(), e);
        }
        String stored = HexFormat.of().formatHex(digest.digest());
        if (!stored.equals(summary.sha256())) {
            throw new StoreException("VerificationFailed", "the stored archive's SHA-256 " + stored
                    + " differs from the written " + summary.sha256());
        }
    }

    /** Aborts the uploads and deletes every object written, each on a best-effort basis. */
    public void cleanUp() {
        for (Upload upload : new Upload[]{tarball, resourceList, manifest}) {
            if (upload == null) {
                continue;
            }
            try {
                upload.abort();
            } catch (RuntimeException ignored) {
                // the store may be gone; aborting is best effort, and incomplete uploads expire
            }
        }
        List<String> written;
        synchronized (committed) {
            written = List.copyOf(committed.keySet());
        }
        for (String key : written) {
            try {
                store.delete(key);
            } catch (RuntimeException ignored) {
                // best effort: the expiry sweep removes what is left
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

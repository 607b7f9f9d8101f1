package io.lifeboat.backup;

import io.lifeboat.archive.Layout;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.encryption.BackupKey;
import io.lifeboat.encryption.EncryptingStream;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.Retention;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.Upload;
import io.lifeboat.work.Fanout;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
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
 *
 * <p>With a {@link BackupKey}, every file is encrypted before it leaves ({@link EncryptingStream}, each bound to its
 * file name), and the {@link BackupFile#ENCRYPTION_HEADER header} that keeps the data key wrapped is written first,
 * in clear. The checks then hold for what is stored: the sizes and the tarball's SHA-256 are the ciphertext's, measured
 * as it goes to the store, and the stores' own proofs see nothing else. With a {@link Retention}, every file, the
 * header included, is written locked; a failed backup's files that are locked are not deleted (the store would refuse):
 * {@link #cleanUp} says which.
 */
public final class BackupFiles {
    private static final int GZIP_BUFFER = 64 * 1024;
    /** Store requests sent at once. */
    static final int TOGETHER = 4;

    private final ObjectStore store;
    private final String prefix;
    private final String backup;
    private final BackupKey key;
    private final Retention retention;
    private final Upload tarball;
    private final Upload resourceList;
    private final Upload manifest;
    private final Measured storedTarball;
    private final OutputStream tarballOut;
    private final EncryptingStream[] encrypting;
    private final GZIPOutputStream resourceListGzip;
    private final GZIPOutputStream manifestGzip;
    /** Every object written, and its size as stored. */
    private final Map<String, Long> committed = Collections.synchronizedMap(new LinkedHashMap<>());

    /** Opens the three uploads of a backup stored in clear and unlocked. */
    public BackupFiles(ObjectStore store, String prefix, String backup) {
        this(store, prefix, backup, null, null);
    }

    /**
     * Writes the encryption header when {@code key} is given, then opens the three uploads, each encrypted with
     * {@code key} (null: in clear) and locked as {@code retention} says (null: unlocked).
     */
    public BackupFiles(ObjectStore store, String prefix, String backup, BackupKey key, Retention retention) {
        this.store = store;
        this.prefix = prefix;
        this.backup = backup;
        this.key = key;
        this.retention = retention;
        if (key != null) {
            byte[] header = key.header().toJson();
            store.put(key(BackupFile.ENCRYPTION_HEADER), header, retention);
            committed.put(key(BackupFile.ENCRYPTION_HEADER), (long) header.length);
        }
        Upload[] opened = new Upload[3];
        try {
            opened[0] = store.upload(key(BackupFile.TARBALL), retention);
            opened[1] = store.upload(key(BackupFile.RESOURCE_LIST), retention);
            opened[2] = store.upload(key(BackupFile.LIFEBOAT_MANIFEST), retention);
        } catch (RuntimeException e) {
            for (Upload upload : opened) {
                if (upload != null) {
                    upload.abort();
                }
            }
            cleanUp();
            throw e;
        }
        this.tarball = opened[0];
        this.resourceList = opened[1];
        this.manifest = opened[2];
        this.storedTarball = new Measured(tarball);
        this.encrypting = key == null ? null : new EncryptingStream[]{
                key.encrypt(BackupFile.TARBALL.fileName(backup), storedTarball),
                key.encrypt(BackupFile.RESOURCE_LIST.fileName(backup), resourceList),
                key.encrypt(BackupFile.LIFEBOAT_MANIFEST.fileName(backup), manifest)};
        this.tarballOut = key == null ? storedTarball : encrypting[0];
        try {
            this.resourceListGzip = new GZIPOutputStream(key == null ? resourceList : encrypting[1], GZIP_BUFFER);
            this.manifestGzip = new GZIPOutputStream(key == null ? manifest : encrypting[2], GZIP_BUFFER);
        } catch (IOException e) {
            cleanUp();
            throw new UncheckedIOException(e);
        }
    }

    private String key(BackupFile file) {
        return Layout.backupObject(prefix, backup, file);
    }

    /** The tarball's upload, raw (through the encryption, if any): the archive writer compresses it. */
    public OutputStream tarball() {
        return tarballOut;
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
     * Ends the gzip streams (and the encryption), commits the three uploads together, then checks the tarball: its
     * stored size, and unless the store proved it, its SHA-256 read back. Every upload that committed is recorded,
     * even when another failed, so that {@link #cleanUp} deletes it.
     */
    public void commitUploads() {
        try {
            resourceListGzip.finish();
            manifestGzip.finish();
            if (encrypting != null) {
                for (EncryptingStream stream : encrypting) {
                    stream.finish();
                }
            }
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
        verifySizes(Map.of(key(BackupFile.TARBALL), storedTarball.count));
        if (!tarball.verifiedByStore()) {
            verifyChecksum(key(BackupFile.TARBALL), storedTarballSha256());
        }
    }

    /** {@link #commitUploads()}; the archive's own figures are the plaintext's, and the checks are of what is stored. */
    public void commitUploads(io.lifeboat.archive.ArchiveWriter.Summary archive) {
        commitUploads();
    }

    /** The tarball's size as stored (the ciphertext's when encrypted), once committed. */
    public long storedTarballBytes() {
        return storedTarball.count;
    }

    /** The SHA-256 of the tarball as stored (the ciphertext's when encrypted), once committed. */
    public String storedTarballSha256() {
        return storedTarball.sha256();
    }

    /** Writes a small file whole (encrypted and locked like the rest). */
    public void put(BackupFile file, byte[] content) {
        byte[] stored = key == null ? content : key.encrypt(file.fileName(backup), content);
        store.put(key(file), stored, retention);
        committed.put(key(file), (long) stored.length);
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

    /** Reads the stored tarball back: its SHA-256 must be that of the bytes sent. */
    private void verifyChecksum(String key, String written) {
        MessageDigest digest = newSha256();
        try (InputStream in = store.download(key)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new StoreException("VerificationFailed", "the stored archive could not be read back: " + e.getMessage(), e);
        }
        String stored = HexFormat.of().formatHex(digest.digest());
        if (!stored.equals(written)) {
            throw new StoreException("VerificationFailed", "the stored archive's SHA-256 " + stored
                    + " differs from the written " + written);
        }
    }

    /**
     * Aborts the uploads and deletes every object written, each on a best-effort basis. Objects written locked are
     * left (the store would refuse to delete them before their date): their keys are returned, and deleting the
     * backup removes them once their lock ends.
     */
    public List<String> cleanUp() {
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
        List<String> locked = new ArrayList<>();
        for (String key : written) {
            if (retention != null && retention.locksAt(Instant.now())) {
                locked.add(key);
                continue;
            }
            try {
                store.delete(key);
            } catch (RuntimeException ignored) {
                // best effort: the expiry sweep removes what is left
            }
        }
        return locked;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts and hashes the bytes on their way to the store; never closes the upload (closing it would abort it). */
    private static final class Measured extends FilterOutputStream {
        private final MessageDigest digest = newSha256();
        private long count;
        private String sha256;

        Measured(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }

        String sha256() {
            if (sha256 == null) {
                sha256 = HexFormat.of().formatHex(digest.digest());
            }
            return sha256;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}

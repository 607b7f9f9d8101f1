package io.lifeboat.backup;

import io.lifeboat.archive.Layout;
import io.lifeboat.archive.Layout.BackupFile;
import io.lifeboat.encryption.BackupKey;
import io.lifeboat.encryption.BackupKeys;
import io.lifeboat.encryption.EncryptionHeader;
import io.lifeboat.encryption.TamperedObjectException;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.StoreException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one way to read a backup's objects from its location: every reader of a backup's files (restore, the API's
 * files and archive, verification) opens them here. A file of an encrypted backup ({@link Backup#encrypted()}, as the
 * record says: a bucket cannot downgrade it) is decrypted as it streams, its chunks checked one by one; its data key
 * is read from the backup's header object and unwrapped once, with the KMS key the record names. Each stream also
 * counts and hashes the bytes as stored, so that a caller can compare them with the record ({@code sizeBytes} and
 * {@code archiveSha256} are the stored tarball's). Closing this closes the data key, not the store.
 */
public final class BackupObjects implements AutoCloseable {
    private final ObjectStore store;
    private final String prefix;
    private final Backup backup;
    private final BackupKeys keys;
    private BackupKey key;

    public BackupObjects(ObjectStore store, String prefix, Backup backup, BackupKeys keys) {
        this.store = store;
        this.prefix = prefix;
        this.backup = backup;
        this.keys = keys;
    }

    public Backup backup() {
        return backup;
    }

    /**
     * The file's content as Lifeboat wrote it (the plaintext of an encrypted backup), streamed. Fails with a
     * {@link TamperedObjectException} when an encrypted backup's header is missing or not the record's, and the stream
     * fails with one at the first chunk that does not open; a {@link StoreException} when the store fails;
     * {@link io.lifeboat.encryption.KeyException} when the key service does.
     */
    public Read open(BackupFile file) throws TamperedObjectException {
        BackupKey opened = backup.encrypted() ? key() : null;
        Read read = new Read(store.download(Layout.backupObject(prefix, backup.name(), file)));
        if (opened != null) {
            read.plain = opened.decrypt(file.fileName(backup.name()), read.measured);
        }
        return read;
    }

    /**
     * Why the encrypted tarball read whole through {@code tarball} is not the one the backup stored (its stored size
     * and SHA-256 are not the record's); null when it is, or when the backup is in clear (then the tarball's own
     * SHA-256, checked by its reader, is that of the bytes stored).
     */
    public String storedMismatch(Read tarball) {
        if (!backup.encrypted() || backup.archiveSha256() == null) {
            return null;
        }
        String stored = tarball.storedSha256();
        if (stored.equals(backup.archiveSha256()) && tarball.storedBytes() == backup.sizeBytes()) {
            return null;
        }
        return "the encrypted archive as stored is " + tarball.storedBytes() + " bytes with SHA-256 " + stored
                + ", but the backup recorded " + backup.sizeBytes() + " bytes with " + backup.archiveSha256()
                + ": it was changed or damaged after the backup";
    }

    /** The SHA-256 the record holds of the Velero tarball: the plaintext's for an encrypted backup. */
    public String tarballSha256() {
        return backup.encrypted() ? backup.encryption().plaintextSha256() : backup.archiveSha256();
    }

    private BackupKey key() throws TamperedObjectException {
        if (key == null) {
            String headerKey = Layout.backupObject(prefix, backup.name(), BackupFile.ENCRYPTION_HEADER);
            byte[] json;
            try (InputStream in = store.download(headerKey)) {
                json = in.readNBytes(EncryptionHeader.MAX_BYTES + 1);
            } catch (StoreException e) {
                if ("NoSuchKey".equals(e.reason())) {
                    throw new TamperedObjectException("the backup is encrypted, but its encryption header "
                            + BackupFile.ENCRYPTION_HEADER.fileName(backup.name()) + " is missing");
                }
                throw e;
            } catch (IOException e) {
                throw new StoreException("ReadFailed", "reading the encryption header failed: " + e.getMessage(), e);
            }
            key = keys.open(EncryptionHeader.parse(json), backup.encryption().kmsKeyId(),
                    BackupKeys.backupContext(backup.project(), backup.name()));
        }
        return key;
    }

    @Override
    public void close() {
        if (key != null) {
            key.close();
        }
    }

    /** One file as it is read: its content, and what was read of it as stored. */
    public static final class Read extends FilterInputStream {
        private final Measured measured;
        private InputStream plain;

        private Read(InputStream stored) {
            this(new Measured(stored));
        }

        private Read(Measured measured) {
            super(measured);
            this.measured = measured;
        }

        @Override
        public int read() throws IOException {
            return plain == null ? super.read() : plain.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return plain == null ? super.read(b, off, len) : plain.read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            return plain == null ? super.skip(n) : plain.skip(n);
        }

        @Override
        public int available() throws IOException {
            return plain == null ? super.available() : 0;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() throws IOException {
            if (plain != null) {
                plain.close();
            } else {
                super.close();
            }
        }

        /** The bytes read so far as stored (the whole object once the stream has ended). */
        public long storedBytes() {
            return measured.count;
        }

        /** The SHA-256 of the bytes read as stored; meaningful once the stream has ended. */
        public String storedSha256() {
            return HexFormat.of().formatHex(measured.digestNow());
        }
    }

    /** Counts and hashes what passes. */
    private static final class Measured extends FilterInputStream {
        private final MessageDigest sha256;
        private long count;
        private byte[] digest;

        Measured(InputStream in) {
            super(in);
            try {
                this.sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                sha256.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                sha256.update(b, off, n);
                count += n;
            }
            return n;
        }

        /** Reads what is skipped, so that it is hashed too. */
        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.max(1, Math.min(n, 8192))];
            long skipped = 0;
            while (skipped < n) {
                int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                if (read < 0) {
                    break;
                }
                skipped += read;
            }
            return skipped;
        }

        byte[] digestNow() {
            if (digest == null) {
                digest = sha256.digest();
            }
            return digest.clone();
        }
    }
}

package io.lifeboat.encryption;

import java.util.Arrays;

/**
 * Makes and opens the data keys of encrypted backups through the {@link KeyWrapper}: one fresh key per backup, wrapped
 * by the location's KMS key with the backup's context ({@link #backupContext}), and the chunk size its objects are
 * written with. A key is opened only with the KMS key the backup's record names: a header that names another is
 * refused before the key service is asked.
 */
public final class BackupKeys {
    /** Chunks of 1 MiB: a reader or writer holds one, and each adds 28 bytes. */
    public static final int DEFAULT_CHUNK_BYTES = 1024 * 1024;
    public static final int MIN_CHUNK_BYTES = ChunkFormat.MIN_CHUNK_BYTES;
    public static final int MAX_CHUNK_BYTES = ChunkFormat.MAX_CHUNK_BYTES;
    /** No key service: encrypted locations fail (reason KeyNotConfigured). */
    public static final BackupKeys NONE = new BackupKeys(KeyWrapper.NONE, DEFAULT_CHUNK_BYTES);

    private final KeyWrapper wrapper;
    private final int chunkBytes;

    public BackupKeys(KeyWrapper wrapper, int chunkBytes) {
        ChunkFormat.checkChunkBytes(chunkBytes);
        this.wrapper = wrapper;
        this.chunkBytes = chunkBytes;
    }

    /** The context a backup's data key is wrapped with: its project and name. */
    public static String backupContext(String project, String backup) {
        return "backup/" + project + "/" + backup;
    }

    /** A fresh data key for a new backup, wrapped by {@code kmsKeyId}. */
    public BackupKey create(String kmsKeyId, String context) {
        KeyWrapper.DataKey dataKey = wrapper.newDataKey(kmsKeyId, context);
        return new BackupKey(dataKey.plaintext(),
                new EncryptionHeader(chunkBytes, kmsKeyId, dataKey.wrapped(), context));
    }

    /**
     * The data key a backup's header holds, unwrapped by the key service; the header must name {@code kmsKeyId} (the
     * backup record's) and {@code context}, or it is refused.
     */
    public BackupKey open(EncryptionHeader header, String kmsKeyId, String context) throws TamperedObjectException {
        if (!header.kmsKeyId().equals(kmsKeyId)) {
            throw new TamperedObjectException("the encryption header names the KMS key " + header.kmsKeyId()
                    + ", but the backup was encrypted with " + kmsKeyId);
        }
        if (!header.context().equals(context)) {
            throw new TamperedObjectException("the encryption header belongs to another backup (" + header.context() + ")");
        }
        return new BackupKey(wrapper.unwrap(kmsKeyId, header.wrappedKey(), context), header);
    }

    /**
     * Checks that the key service can use {@code kmsKeyId}: a data key is made and unwrapped again (the location
     * validation's check of an encrypted location). Fails with a {@link KeyException}.
     */
    public void check(String kmsKeyId, String context) {
        KeyWrapper.DataKey dataKey = wrapper.newDataKey(kmsKeyId, context);
        byte[] unwrapped = wrapper.unwrap(kmsKeyId, dataKey.wrapped(), context);
        boolean same = Arrays.equals(unwrapped, dataKey.plaintext());
        Arrays.fill(unwrapped, (byte) 0);
        Arrays.fill(dataKey.plaintext(), (byte) 0);
        if (!same) {
            throw new KeyException("KeyMismatch", "the key service unwrapped another key than the one it made with "
                    + kmsKeyId);
        }
    }

    public int chunkBytes() {
        return chunkBytes;
    }
}

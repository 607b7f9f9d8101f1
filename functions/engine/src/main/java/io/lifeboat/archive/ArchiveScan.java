package io.lifeboat.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One pass over a backup tarball as it streams from a bucket, through the safe {@link ArchiveReader} (every limit and
 * every refusal of unsafe entries), that also hashes and counts the compressed bytes, so that a reader of the items
 * learns at the end whether they came from the archive the backup recorded. Used where an archive is read without
 * being restored: its verification and the comparison of two backups.
 */
public final class ArchiveScan implements AutoCloseable {
    private final InputStream compressed;
    private final MessageDigest sha256 = ArchiveWriter.sha256();
    private final Counted counted;
    private final ArchiveReader reader;

    public ArchiveScan(InputStream compressed, ArchiveLimits limits) {
        this.compressed = compressed;
        this.counted = new Counted(new DigestInputStream(compressed, sha256));
        this.reader = new ArchiveReader(counted, limits);
    }

    /** The next file entry, or null after the last; {@link ArchiveReader.ArchiveException} for what must be refused. */
    public ArchiveReader.Entry next() {
        return reader.next();
    }

    /**
     * Reads what follows the last entry (the tar's end blocks, the gzip trailer) and says what the compressed stream
     * was: its size and SHA-256, to compare with the backup's record.
     */
    public Summary finish() {
        try {
            counted.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new ArchiveReader.ArchiveException("the archive is truncated or corrupt: " + e.getMessage(), e);
        }
        return new Summary(counted.count, HexFormat.of().formatHex(sha256.digest()));
    }

    /** The compressed stream's size and SHA-256 (hex). */
    public record Summary(long sizeBytes, String sha256) {
    }

    @Override
    public void close() {
        try {
            reader.close();
        } finally {
            try {
                compressed.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Counts the bytes read through it; whatever reads them, every byte is hashed. */
    private static final class Counted extends java.io.FilterInputStream {
        private long count;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        /** Skipped bytes are read, so that they are hashed too. */
        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
            int read = buffer.length == 0 ? 0 : read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }
    }
}

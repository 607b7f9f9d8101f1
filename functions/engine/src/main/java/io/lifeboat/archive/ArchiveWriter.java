package io.lifeboat.archive;

import io.lifeboat.work.HandOffStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a backup tarball (tar inside gzip) in Velero's layout, one item at a time, straight into the stream it is
 * given: nothing but the current item and a few buffers are held in memory. It counts the bytes and hashes them as
 * they pass. The compression, the hash and the stream given are fed by a thread of their own ({@link HandOffStream}),
 * so that the caller's thread goes on reading and framing items while the last ones are compressed and uploaded.
 */
public final class ArchiveWriter implements AutoCloseable {
    /** The mode of every entry; there are no folder entries. */
    public static final int ENTRY_MODE = 0755;
    /** Bytes handed to the compressing thread at a time, and how many such buffers may wait. */
    private static final int HAND_OFF_BUFFER = 256 * 1024;
    private static final int HAND_OFF_BUFFERS = 4;
    private final Counting counting;
    private final MessageDigest sha256;
    private final GZIPOutputStream gzip;
    private final HandOffStream handOff;
    private final TarArchiveOutputStream tar;
    private final long modTime = Instant.now().toEpochMilli();
    private long entries;

    public ArchiveWriter(OutputStream out) {
        this.sha256 = sha256();
        this.counting = new Counting(new DigestOutputStream(out, sha256));
        try {
            this.gzip = new GZIPOutputStream(counting, 64 * 1024) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
            this.handOff = new HandOffStream(gzip, HAND_OFF_BUFFER, HAND_OFF_BUFFERS, "lifeboat-archive-gzip");
            this.tar = new TarArchiveOutputStream(handOff, 64 * 1024, StandardCharsets.UTF_8.name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code metadata/version}, which Velero reads first. */
    public void writeVersion() {
        writeEntry(Layout.VERSION_ENTRY, (Layout.FORMAT_VERSION + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** One item, at its place and again in its preferred-version folder, as Velero writes it. */
    public void writeItem(String resourceFolder, String version, String namespace, String name, byte[] json) {
        writeEntry(Layout.itemEntry(resourceFolder, namespace, name), json);
        writeEntry(Layout.preferredVersionEntry(resourceFolder, version, namespace, name), json);
    }

    /**
     * One file entry, mode 0755 as Velero writes them (pkg/backup/item_backupper.go): Velero's extractor creates a
     * file's parent folders with the file's own mode, so without the execute bit a non-root Velero cannot enter them.
     */
    public void writeEntry(String path, byte[] content) {
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setSize(content.length);
        entry.setMode(ENTRY_MODE);
        entry.setModTime(modTime);
        try {
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + path + " into the archive failed", e);
        }
        entries++;
    }

    /** Ends the tar and the gzip stream (the stream underneath stays open) and says what was written. */
    public Summary finish() {
        try {
            tar.finish();
            tar.flush();
            handOff.drain();
            gzip.finish();
            counting.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("finishing the archive failed", e);
        }
        return new Summary(entries, counting.count, HexFormat.of().formatHex(sha256.digest()));
    }

    /**
     * Stops the compressing thread if {@link #finish()} was not reached (a failed backup); the caller owns the
     * underlying stream: commit or abort it there.
     */
    @Override
    public void close() {
        handOff.abandon();
    }

    /** Entries written (two per item plus the version), compressed size, and the SHA-256 of the compressed bytes. */
    public record Summary(long entries, long sizeBytes, String sha256) {
    }

    private static final class Counting extends FilterOutputStream {
        private long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush(); // never close the caller's stream
        }
    }
}

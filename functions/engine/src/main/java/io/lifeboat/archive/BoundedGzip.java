package io.lifeboat.archive;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * The one way gzip data from a bucket is decompressed: with a ceiling on what it may expand to, so that a gzip bomb
 * is an error naming the file and the limit, never an out-of-memory or a disk filled.
 */
public final class BoundedGzip {
    /** Logs, resource lists, results and manifests: 32 MiB once decompressed (a large cluster's list is a few MiB). */
    public static final long DEFAULT_FILE_BYTES = 32L << 20;

    private BoundedGzip() {
    }

    /** A stream of the decompressed data that fails with {@link TooLarge} once more than {@code maxBytes} come out. */
    public static InputStream open(InputStream compressed, long maxBytes, String what) throws IOException {
        return new Bounded(new GZIPInputStream(compressed, 64 * 1024), maxBytes, what);
    }

    /** All of the decompressed data, read at most to the limit. Closes {@code compressed}. */
    public static byte[] readAll(InputStream compressed, long maxBytes, String what) throws IOException {
        try (InputStream in = open(compressed, maxBytes, what)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** Data that expands past its limit. */
    public static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    /** Counts what is read through it and fails at the first byte past the limit. */
    static final class Bounded extends FilterInputStream {
        private final long maxBytes;
        private final String what;
        private long read;

        Bounded(InputStream in, long maxBytes, String what) {
            super(in);
            this.maxBytes = maxBytes;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, (int) Math.min(length, maxBytes - read + 1));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, maxBytes - read + 1));
            count(skipped);
            return skipped;
        }

        private void count(long n) throws TooLarge {
            read += n;
            if (read > maxBytes) {
                throw new TooLarge(what + " expands past the limit of " + maxBytes + " bytes");
            }
        }
    }
}

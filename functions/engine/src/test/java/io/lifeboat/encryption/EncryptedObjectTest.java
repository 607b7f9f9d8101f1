package io.lifeboat.encryption;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chunk format: what is written comes back, and an object changed in any of the ways an attacker with the bucket's
 * keys could (a byte flipped, a chunk dropped, two swapped, one repeated, the object cut short at a chunk boundary or
 * inside one, a chunk appended, the object moved to another name, another backup's key) is refused at the chunk at
 * fault, before any of its bytes are handed on.
 */
class EncryptedObjectTest {
    static final int CHUNK = 1024;
    static final int SEALED_CHUNK = ChunkFormat.NONCE_BYTES + CHUNK + ChunkFormat.TAG_BYTES;
    final InMemoryKeyWrapper kms = new InMemoryKeyWrapper();
    final BackupKeys keys = new BackupKeys(kms, CHUNK);

    static byte[] data(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void everySizeRoundTripsAndCostsTwentyEightBytesAChunk() throws Exception {
        try (BackupKey key = keys.create("alias/backups", "backup/p/b")) {
            for (int size : new int[]{0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17}) {
                byte[] plain = data(size);
                byte[] sealed = key.encrypt("b.tar.gz", plain);
                int chunks = Math.max(1, (size + CHUNK - 1) / CHUNK);
                assertEquals(ChunkFormat.PREFIX_BYTES + size + chunks * 28L, sealed.length, "size " + size);
                assertArrayEquals(plain, readAll(key.decrypt("b.tar.gz", new ByteArrayInputStream(sealed))), "size " + size);
            }
        }
    }

    @Test
    void writtenInOddSlicesTheSameBytesComeBack() throws Exception {
        byte[] plain = data(5 * CHUNK + 300);
        try (BackupKey key = keys.create("alias/backups", "backup/p/b")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            EncryptingStream sealing = key.encrypt("b.tar.gz", out);
            for (int off = 0; off < plain.length; off += 333) {
                sealing.write(plain, off, Math.min(333, plain.length - off));
            }
            sealing.finish();
            InputStream in = key.decrypt("b.tar.gz", new ByteArrayInputStream(out.toByteArray()));
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            for (int b; (b = in.read()) >= 0; ) { // byte by byte, across chunk boundaries
                back.write(b);
            }
            assertArrayEquals(plain, back.toByteArray());
        }
    }

    @Test
    void theCiphertextHoldsNoneOfThePlaintext() {
        String secret = "c3VwZXItc2VjcmV0LXBhc3N3b3Jk"; // a Secret's value, as Kubernetes stores it
        byte[] plain = ("{\"kind\":\"Secret\",\"data\":{\"password\":\"" + secret + "\"}}").repeat(100)
                .getBytes(StandardCharsets.UTF_8);
        try (BackupKey key = keys.create("alias/backups", "backup/p/b")) {
            String sealed = new String(key.encrypt("b.tar.gz", plain), StandardCharsets.ISO_8859_1);
            assertFalse(sealed.contains(secret));
            assertFalse(sealed.contains("Secret"));
        }
    }

    /** The tamperings, each on an object of four chunks (the last one short). */
    @Test
    void aFlippedByteADroppedChunkAndSwappedChunksAreEachRefused() throws Exception {
        byte[] plain = data(3 * CHUNK + 100);
        try (BackupKey key = keys.create("alias/backups", "backup/p/b")) {
            byte[] sealed = key.encrypt("b.tar.gz", plain);
            assertEquals(ChunkFormat.PREFIX_BYTES + 3 * SEALED_CHUNK + 12 + 100 + 16, sealed.length);

            byte[] flipped = sealed.clone();
            flipped[ChunkFormat.PREFIX_BYTES + SEALED_CHUNK + 40] ^= 0x01;
            assertRefusedAt(key, flipped, "chunk 1 of b.tar.gz failed authentication");

            byte[] dropped = concat(Arrays.copyOfRange(sealed, 0, chunkStart(1)), Arrays.copyOfRange(sealed, chunkStart(2), sealed.length));
            assertRefusedAt(key, dropped, "chunk 1 of b.tar.gz failed authentication");

            byte[] swapped = concat(Arrays.copyOfRange(sealed, 0, chunkStart(1)), chunk(sealed, 2), chunk(sealed, 1),
                    Arrays.copyOfRange(sealed, chunkStart(3), sealed.length));
            assertRefusedAt(key, swapped, "chunk 1 of b.tar.gz failed authentication");

            byte[] repeated = concat(Arrays.copyOfRange(sealed, 0, chunkStart(2)), chunk(sealed, 1),
                    Arrays.copyOfRange(sealed, chunkStart(2), sealed.length));
            assertRefusedAt(key, repeated, "chunk 2 of b.tar.gz failed authentication");
        }
    }

    @Test
    void aCutShortOrExtendedObjectIsRefused() throws Exception {
        byte[] plain = data(3 * CHUNK);
        try (BackupKey key = keys.create("alias/backups", "backup/p/b")) {
            byte[] sealed = key.encrypt("b.tar.gz", plain); // three full chunks, the third sealed as the last
            assertRefusedAt(key, Arrays.copyOf(sealed, chunkStart(2)),
                    "chunk 1 of b.tar.gz failed authentication as the object's last chunk");
            assertRefusedAt(key, Arrays.copyOf(sealed, sealed.length - 1), "chunk 2 of b.tar.gz failed authentication");
            assertRefusedAt(key, Arrays.copyOf(sealed, chunkStart(2) + 20), "chunk 2 of b.tar.gz is cut short");
            assertRefusedAt(key, concat(sealed, chunk(sealed, 2)), "chunk 2 of b.tar.gz failed authentication");
            assertRefusedAt(key, Arrays.copyOf(sealed, 5), "is not an encrypted object of this backup");
        }
    }

    @Test
    void anObjectOpensOnlyUnderItsOwnNameAndItsBackupsKey() throws Exception {
        byte[] plain = data(2 * CHUNK);
        try (BackupKey key = keys.create("alias/backups", "backup/p/b");
             BackupKey other = keys.create("alias/backups", "backup/p/c")) {
            byte[] logs = key.encrypt("b-logs.gz", plain);
            assertRefusedAt(key, logs, "chunk 0 of b-results.gz", "b-results.gz");
            assertRefusedAt(other, logs, "chunk 0 of b-logs.gz failed authentication", "b-logs.gz");
            byte[] mixed = concat(Arrays.copyOfRange(logs, 0, chunkStart(1)),
                    chunk(other.encrypt("b-logs.gz", plain), 1));
            assertRefusedAt(key, mixed, "chunk 1 of b-logs.gz failed authentication", "b-logs.gz");
        }
    }

    @Test
    void noByteOfAChunkThatFailsIsHandedOn() throws Exception {
        byte[] plain = data(2 * CHUNK);
        try (BackupKey key = keys.create("alias/backups", "backup/p/b")) {
            byte[] sealed = key.encrypt("b.tar.gz", plain);
            sealed[chunkStart(1) + 100] ^= 0x40;
            InputStream in = key.decrypt("b.tar.gz", new ByteArrayInputStream(sealed));
            byte[] first = in.readNBytes(CHUNK);
            assertArrayEquals(Arrays.copyOf(plain, CHUNK), first, "the first chunk is sound");
            assertThrows(TamperedObjectException.class, () -> in.read(new byte[10]));
        }
    }

    static void assertRefusedAt(BackupKey key, byte[] sealed, String message) {
        assertRefusedAt(key, sealed, message, "b.tar.gz");
    }

    static void assertRefusedAt(BackupKey key, byte[] sealed, String message, String name) {
        TamperedObjectException e = assertThrows(TamperedObjectException.class,
                () -> readAll(key.decrypt(name, new ByteArrayInputStream(sealed))));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    static int chunkStart(int index) {
        return ChunkFormat.PREFIX_BYTES + index * SEALED_CHUNK;
    }

    static byte[] chunk(byte[] sealed, int index) {
        return Arrays.copyOfRange(sealed, chunkStart(index), Math.min(sealed.length, chunkStart(index + 1)));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

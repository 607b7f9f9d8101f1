package io.lifeboat.secret;

import io.lifeboat.encryption.BackupKey;
import io.lifeboat.encryption.BackupKeys;
import io.lifeboat.encryption.EncryptionHeader;
import io.lifeboat.encryption.KeyException;
import io.lifeboat.encryption.KeyWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Local mode's key service: data keys wrapped by the local key file, bound to the KMS key ID and the backup. */
class LocalKeyWrapperTest {
    @TempDir
    Path folder;

    @Test
    void aDataKeyUnwrapsWithTheSameKeyFileKeyIdAndContext() {
        KeyWrapper wrapper = new LocalKeyWrapper(new LocalKeyFileDataKeys(folder.resolve("master.key")));
        KeyWrapper.DataKey key = wrapper.newDataKey("local", "backup/p/b1");

        assertEquals(32, key.plaintext().length);
        assertFalse(Arrays.equals(key.plaintext(), Arrays.copyOfRange(key.wrapped(), 12, 44)), "the key is not stored in clear");
        // a second process reading the same key file opens it too
        KeyWrapper later = new LocalKeyWrapper(new LocalKeyFileDataKeys(folder.resolve("master.key")));
        assertArrayEquals(key.plaintext(), later.unwrap("local", key.wrapped(), "backup/p/b1"));
        assertNotEquals(Arrays.toString(key.plaintext()), Arrays.toString(wrapper.newDataKey("local", "backup/p/b1").plaintext()),
                "every data key is fresh");
    }

    @Test
    void anotherKeyFileAnotherKeyIdAnotherBackupOrADamagedKeyIsRefused() {
        KeyWrapper wrapper = new LocalKeyWrapper(new LocalKeyFileDataKeys(folder.resolve("master.key")));
        KeyWrapper other = new LocalKeyWrapper(new LocalKeyFileDataKeys(folder.resolve("other.key")));
        KeyWrapper.DataKey key = wrapper.newDataKey("local", "backup/p/b1");
        byte[] damaged = key.wrapped();
        damaged[damaged.length - 1] ^= 1;

        for (Runnable attempt : new Runnable[]{
                () -> other.unwrap("local", key.wrapped(), "backup/p/b1"),
                () -> wrapper.unwrap("alias/other", key.wrapped(), "backup/p/b1"),
                () -> wrapper.unwrap("local", key.wrapped(), "backup/p/b2"),
                () -> wrapper.unwrap("local", damaged, "backup/p/b1"),
                () -> wrapper.unwrap("local", new byte[5], "backup/p/b1")}) {
            KeyException refused = assertThrows(KeyException.class, attempt::run);
            assertEquals("InvalidCiphertext", refused.reason());
            assertFalse(refused.getMessage().contains(Arrays.toString(key.plaintext())));
        }
    }

    @Test
    void aBackupEncryptedUnderTheLocalKeyOpensOnlyUnderIt() throws IOException {
        BackupKeys keys = new BackupKeys(new LocalKeyWrapper(new LocalKeyFileDataKeys(folder.resolve("master.key"))),
                BackupKeys.MIN_CHUNK_BYTES);
        BackupKeys wrongKeys = new BackupKeys(new LocalKeyWrapper(new LocalKeyFileDataKeys(folder.resolve("wrong.key"))),
                BackupKeys.MIN_CHUNK_BYTES);
        String context = BackupKeys.backupContext("p", "b1");
        byte[] content = "kind: Secret\ndata:\n  password: aHVudGVyMg==\n".repeat(2000).getBytes(StandardCharsets.UTF_8);
        byte[] stored;
        EncryptionHeader header;
        try (BackupKey key = keys.create("local", context)) {
            stored = key.encrypt("backups/b1/b1.tar.gz", content);
            header = EncryptionHeader.parse(key.header().toJson());
        }
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("aHVudGVyMg=="));

        try (BackupKey opened = keys.open(header, "local", context)) {
            assertArrayEquals(content, opened.decrypt("backups/b1/b1.tar.gz", new ByteArrayInputStream(stored)).readAllBytes());
        }
        KeyException refused = assertThrows(KeyException.class, () -> wrongKeys.open(header, "local", context));
        assertEquals("InvalidCiphertext", refused.reason());
    }
}

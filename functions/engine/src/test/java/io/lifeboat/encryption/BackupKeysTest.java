package io.lifeboat.encryption;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backup's data key: made once by the key service and kept wrapped in a header, opened only with the KMS key and
 * context the backup's record names; the header is read strictly, since it comes from the bucket.
 */
class BackupKeysTest {
    final InMemoryKeyWrapper kms = new InMemoryKeyWrapper();
    final BackupKeys keys = new BackupKeys(kms, 4096);

    @Test
    void aHeaderRoundTripsAndOpensTheSameKey() throws Exception {
        byte[] sealed;
        EncryptionHeader header;
        try (BackupKey key = keys.create("alias/backups", "backup/p/b")) {
            header = key.header();
            sealed = key.encrypt("b.tar.gz", "hello".getBytes(StandardCharsets.UTF_8));
        }
        EncryptionHeader read = EncryptionHeader.parse(header.toJson());
        assertEquals(header, read);
        assertEquals(4096, read.chunkBytes());
        try (BackupKey opened = keys.open(read, "alias/backups", "backup/p/b")) {
            assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8),
                    opened.decrypt("b.tar.gz", new java.io.ByteArrayInputStream(sealed)).readAllBytes());
        }
        assertEquals(List.of("generate alias/backups backup/p/b", "unwrap alias/backups backup/p/b"), kms.calls());
        String json = new String(header.toJson(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"kmsKeyId\" : \"alias/backups\""), json);
        assertTrue(json.contains("\"cipher\" : \"AES-256-GCM\""), json);
    }

    @Test
    void aHeaderNamingAnotherKeyOrBackupIsRefusedBeforeTheKeyServiceIsAsked() {
        EncryptionHeader header;
        try (BackupKey key = keys.create("alias/attacker", "backup/p/b")) {
            header = key.header();
        }
        kms.calls().clear();
        TamperedObjectException otherKey = assertThrows(TamperedObjectException.class,
                () -> keys.open(header, "alias/backups", "backup/p/b"));
        assertTrue(otherKey.getMessage().contains("names the KMS key alias/attacker"), otherKey.getMessage());
        TamperedObjectException otherBackup = assertThrows(TamperedObjectException.class,
                () -> keys.open(header, "alias/attacker", "backup/p/c"));
        assertTrue(otherBackup.getMessage().contains("another backup"), otherBackup.getMessage());
        assertEquals(List.of(), kms.calls());
    }

    @Test
    void aWrappedKeyCopiedFromAnotherBackupDoesNotUnwrap() {
        EncryptionHeader theirs;
        try (BackupKey key = keys.create("alias/backups", "backup/p/other")) {
            theirs = key.header();
        }
        EncryptionHeader copied = new EncryptionHeader(4096, "alias/backups", theirs.wrappedKey(), "backup/p/b");
        KeyException e = assertThrows(KeyException.class, () -> keys.open(copied, "alias/backups", "backup/p/b"));
        assertEquals("InvalidCiphertext", e.reason());
    }

    @Test
    void headersThatAreNotLifeboatsAreRefused() {
        String good = new String(keys.create("alias/backups", "backup/p/b").header().toJson(), StandardCharsets.UTF_8);
        for (String bad : List.of("[]", "{", "null", good.replace("\"version\" : 1", "\"version\" : 2"),
                good.replace("AES-256-GCM", "AES-128-CBC"), good.replace("4096", "64"),
                good.replace("4096", "1073741824"), good.replace("{", "{\"extra\": 1, "),
                good.replace("{", "{\"cipher\": \"AES-256-GCM\", "),
                good.replaceAll("\"wrappedKey\" : \"[^\"]*\"", "\"wrappedKey\" : \"not base64!\""),
                good.replaceAll("\"wrappedKey\" : \"[^\"]*\"", "\"wrappedKey\" : \"\""),
                good.replace("\"kmsKeyId\" : \"alias/backups\"", "\"kmsKeyId\" : 7"),
                " ".repeat(EncryptionHeader.MAX_BYTES) + good)) {
            assertThrows(TamperedObjectException.class,
                    () -> EncryptionHeader.parse(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }

    @Test
    void theKeyCheckMakesAndUnwrapsAKeyAndARefusedKeyFails() {
        keys.check("alias/backups", "probe/p/loc");
        assertEquals(List.of("generate alias/backups probe/p/loc", "unwrap alias/backups probe/p/loc"), kms.calls());
        kms.refuse("alias/denied");
        KeyException e = assertThrows(KeyException.class, () -> keys.check("alias/denied", "probe/p/loc"));
        assertEquals("AccessDenied", e.reason());
        assertEquals("KeyNotConfigured", assertThrows(KeyException.class,
                () -> BackupKeys.NONE.check("alias/backups", "probe/p/loc")).reason());
    }

    @Test
    void neitherTheKeyNorItsHeaderPrintsTheKey() {
        try (BackupKey key = keys.create("alias/backups", "backup/p/b")) {
            String wrapped = Base64.getEncoder().encodeToString(key.header().wrappedKey());
            assertFalse(key.toString().contains(wrapped));
            assertFalse(key.header().toString().contains(wrapped));
        }
        KeyWrapper.DataKey dataKey = kms.newDataKey("alias/backups", "x");
        assertFalse(dataKey.toString().contains(Base64.getEncoder().encodeToString(dataKey.plaintext())));
    }
}

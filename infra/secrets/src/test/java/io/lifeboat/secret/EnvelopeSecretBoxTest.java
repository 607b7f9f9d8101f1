package io.lifeboat.secret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnvelopeSecretBoxTest {
    @TempDir
    Path dir;

    @Test
    void sealsAndOpensWithTheSameKeyFileAndContext() throws Exception {
        Path keyFile = dir.resolve("master.key");
        byte[] secret = "kubeconfig with token".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = new EnvelopeSecretBox(new LocalKeyFileDataKeys(keyFile)).seal(secret, "cluster/p/c");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("token"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));

        // a new box over the same key file (a restart) opens it
        assertArrayEquals(secret, new EnvelopeSecretBox(new LocalKeyFileDataKeys(keyFile)).open(sealed, "cluster/p/c"));
    }

    @Test
    void wrongContextOrKeyOrTamperingFails() {
        EnvelopeSecretBox box = new EnvelopeSecretBox(new LocalKeyFileDataKeys(dir.resolve("a.key")));
        byte[] sealed = box.seal("s".getBytes(StandardCharsets.UTF_8), "location/p/a");
        assertThrows(IllegalStateException.class, () -> box.open(sealed, "location/p/b"));
        assertThrows(IllegalStateException.class,
                () -> new EnvelopeSecretBox(new LocalKeyFileDataKeys(dir.resolve("b.key"))).open(sealed, "location/p/a"));
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> box.open(tampered, "location/p/a"));
    }

    @Test
    void eachSealUsesAFreshDataKeyAndIv() {
        EnvelopeSecretBox box = new EnvelopeSecretBox(new LocalKeyFileDataKeys(dir.resolve("c.key")));
        byte[] a = box.seal("same".getBytes(StandardCharsets.UTF_8), "x");
        byte[] b = box.seal("same".getBytes(StandardCharsets.UTF_8), "x");
        assertFalse(java.util.Arrays.equals(a, b));
    }
}

package io.lifeboat.secret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalKeyFileDataKeysTest {
    @TempDir
    Path dir;

    /** The key file is created owner-only (rw-------), in a new folder, with no draft left beside it. */
    @Test
    void theKeyFileIsCreatedWithMode600() throws IOException {
        Path keyFile = dir.resolve("home").resolve("master.key");
        LocalKeyFileDataKeys keys = new LocalKeyFileDataKeys(keyFile);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        try (var files = Files.list(keyFile.getParent())) {
            assertEquals(List.of(keyFile), files.toList(), "only the key file is there");
        }
        DataKeys.DataKey key = keys.generate("location/p/a");
        assertArrayEquals(key.plaintext(), new LocalKeyFileDataKeys(keyFile).unwrap(key.wrapped(), "location/p/a"),
                "the next process reads the same key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    }
}

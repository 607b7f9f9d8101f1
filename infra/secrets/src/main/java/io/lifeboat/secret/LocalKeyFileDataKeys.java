package io.lifeboat.secret;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Local mode's master key: 32 random bytes in a file (created on first use, readable by its owner only).
 * Data keys are wrapped with AES-256-GCM under it, the context bound as associated data.
 */
public final class LocalKeyFileDataKeys implements DataKeys {
    private static final int IV_BYTES = 12;
    private final byte[] masterKey;
    private final SecureRandom random = new SecureRandom();

    public LocalKeyFileDataKeys(Path keyFile) {
        this.masterKey = loadOrCreate(keyFile);
    }

    private byte[] loadOrCreate(Path keyFile) {
        try {
            if (Files.exists(keyFile)) {
                byte[] key = Base64.getDecoder().decode(Files.readString(keyFile).trim());
                if (key.length != 32) {
                    throw new IllegalStateException("the key file " + keyFile + " does not hold a 256-bit key");
                }
                return key;
            }
            byte[] key = new byte[32];
            random.nextBytes(key);
            Path folder = keyFile.toAbsolutePath().getParent();
            Files.createDirectories(folder);
            return create(keyFile, folder, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local key file " + keyFile, e);
        }
    }

    /**
     * Writes the key to a new file that is owner-only from its creation (never widened, never chmod-ed), then links
     * it into place, which fails rather than replaces when another process created the key file meanwhile.
     */
    private static byte[] create(Path keyFile, Path folder, byte[] key) throws IOException {
        boolean posix = folder.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path draft = Files.createTempFile(folder, ".master-key-", ".new", ownerOnly);
        try {
            Files.writeString(draft, Base64.getEncoder().encodeToString(key), StandardOpenOption.WRITE);
            try {
                Files.createLink(keyFile, draft);
            } catch (FileAlreadyExistsException raced) {
                return Base64.getDecoder().decode(Files.readString(keyFile).trim());
            } catch (UnsupportedOperationException noHardLinks) {
                Files.move(draft, keyFile, StandardCopyOption.ATOMIC_MOVE);
            }
            return key;
        } finally {
            Files.deleteIfExists(draft);
        }
    }

    @Override
    public DataKey generate(String context) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            byte[] wrapped = cipher(Cipher.ENCRYPT_MODE, iv, context).doFinal(key);
            return new DataKey(key, ByteBuffer.allocate(IV_BYTES + wrapped.length).put(iv).put(wrapped).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("wrapping a data key failed", e);
        }
    }

    @Override
    public byte[] unwrap(byte[] wrapped, String context) {
        ByteBuffer in = ByteBuffer.wrap(wrapped);
        byte[] iv = new byte[IV_BYTES];
        in.get(iv);
        byte[] body = new byte[in.remaining()];
        in.get(body);
        try {
            return cipher(Cipher.DECRYPT_MODE, iv, context).doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a data key failed to unwrap (wrong key file or context)", e);
        }
    }

    private Cipher cipher(int mode, byte[] iv, String context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}

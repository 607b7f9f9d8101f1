package io.lifeboat.disk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of the snapshots and disks Lifeboat makes where a cloud names them (Azure's snapshots and disks, unique in
 * their resource group; Compute Engine's, unique in the project): {@code lb-<owner, cut>-<hash>}, the hash of the
 * project, owner (backup or restore), namespace and claim, so that two claims never share a name. At most 63
 * characters of lower-case letters, digits and '-', starting with a letter: valid in every cloud.
 */
public final class DiskSnapshotNames {
    private static final int OWNER_CHARS = 36;
    private static final int HASH_CHARS = 20;

    private DiskSnapshotNames() {
    }

    public static String of(String project, String owner, String namespace, String claim) {
        String head = owner.toLowerCase().replaceAll("[^a-z0-9-]", "-");
        head = head.substring(0, Math.min(head.length(), OWNER_CHARS)).replaceAll("-+$", "");
        return "lb-" + (head.isEmpty() ? "" : head + "-") + hash(project + "/" + owner + "/" + namespace + "/" + claim);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

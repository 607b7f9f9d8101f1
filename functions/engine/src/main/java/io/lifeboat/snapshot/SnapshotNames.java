package io.lifeboat.snapshot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one place that names the VolumeSnapshots and VolumeSnapshotContents Lifeboat creates, by one rule for both
 * sides: one per owner (the backup that snapshots a claim, or the restore that provisions a claim from a snapshot),
 * namespace the VolumeSnapshot lives in (the claim's: as backed up for a backup, as restored for a restore) and
 * claim. The readable form {@code lifeboat-<owner>.<namespace>.<claim>} is unique,
 * since owners and namespaces are DNS-1123 labels, which hold no dot. When a part is not a label, or the name would
 * pass 253 characters, the name is cut and ends with a hash of the three parts instead. Always a DNS-1123 subdomain.
 */
public final class SnapshotNames {
    public static final int MAX_LENGTH = 253;
    private static final String PREFIX = "lifeboat-";
    private static final int HASH_CHARS = 16;

    private SnapshotNames() {
    }

    public static String of(String owner, String namespace, String claim) {
        String readable = PREFIX + owner + "." + namespace + "." + claim;
        boolean unambiguous = !owner.contains(".") && !namespace.contains(".");
        if (unambiguous && readable.length() <= MAX_LENGTH && isSubdomain(readable)) {
            return readable;
        }
        String hash = hash(owner + "/" + namespace + "/" + claim);
        String head = readable.toLowerCase().replaceAll("[^a-z0-9.-]", "-");
        head = head.substring(0, Math.min(head.length(), MAX_LENGTH - HASH_CHARS - 1));
        head = head.replaceAll("[.-]+$", "").replaceAll("\\.[.-]+", ".").replaceAll("-+\\.", ".");
        return head + "-" + hash;
    }

    /** A DNS-1123 subdomain: dot-separated labels of lowercase letters, digits and dashes, each starting and ending alphanumeric. */
    public static boolean isSubdomain(String name) {
        return name.length() <= MAX_LENGTH && name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
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

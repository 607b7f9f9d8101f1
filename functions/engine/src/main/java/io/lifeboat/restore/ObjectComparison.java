package io.lifeboat.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * What a restore compares of an object that exists in the target with the backup's item: both without what servers
 * own ({@code status}, and the metadata fields Velero ignores too) and without the labels naming a backup and a
 * restore. Two objects are the same when these comparable forms are equal as JSON trees ({@link JsonNode#equals}:
 * field order does not count, number types do). {@link #digest} condenses a comparable form into 16 bytes that are
 * equal exactly when the forms are (bar a SHA-256 collision), so that a restore can keep the target's objects of a
 * type as digests rather than whole. The comparison of two backups ({@code diff.BackupDiffs}) compares their items the
 * same way.
 */
public final class ObjectComparison {
    private static final List<String> COMPARED_AWAY = List.of("generateName", "selfLink", "uid", "resourceVersion",
            "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences",
            "managedFields");
    static final int DIGEST_BYTES = 16;

    private ObjectComparison() {
    }

    /** A copy of the object without what servers own and without the labels naming a backup and a restore. */
    public static ObjectNode comparable(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove("status");
        if (copy.get("metadata") instanceof ObjectNode metadata) {
            COMPARED_AWAY.forEach(metadata::remove);
            if (metadata.get("labels") instanceof ObjectNode labels) {
                labels.remove(ItemRules.BACKUP_LABEL);
                labels.remove(ItemRules.RESTORE_LABEL);
                if (labels.isEmpty()) {
                    metadata.remove("labels");
                }
            }
        }
        return copy;
    }

    static boolean same(ObjectNode live, ObjectNode item) {
        return comparable(live).equals(comparable(item));
    }

    /** The digest of the object's comparable form: equal digests, equal forms. */
    public static byte[] digest(ObjectNode object) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        feed(sha256, comparable(object));
        return Arrays.copyOf(sha256.digest(), DIGEST_BYTES);
    }

    /**
     * Feeds a tree in a form that tells apart exactly what {@link JsonNode#equals} tells apart: each node's class
     * (an int 1 is not a long 1 nor a double 1.0), an object's fields sorted by name, every text length-prefixed.
     */
    private static void feed(MessageDigest digest, JsonNode node) {
        text(digest, node.getClass().getSimpleName());
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            count(digest, names.size());
            for (String name : names) {
                text(digest, name);
                feed(digest, node.get(name));
            }
        } else if (node.isArray()) {
            count(digest, node.size());
            for (Iterator<JsonNode> elements = node.elements(); elements.hasNext(); ) {
                feed(digest, elements.next());
            }
        } else if (node.isBinary()) {
            try {
                byte[] bytes = node.binaryValue();
                count(digest, bytes.length);
                digest.update(bytes);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        } else if (!node.isNull() && !node.isMissingNode()) {
            text(digest, node.isNumber() ? node.numberValue().toString() : node.asText());
        }
    }

    private static void text(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        count(digest, bytes.length);
        digest.update(bytes);
    }

    private static void count(MessageDigest digest, int n) {
        digest.update(new byte[]{(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    }
}

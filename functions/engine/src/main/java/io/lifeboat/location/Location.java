package io.lifeboat.location;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A backup location of a project. {@code bucket} is the S3 or GCS bucket, or the Azure container.
 * {@code fields} holds the provider settings, secrets included (in memory only: stores seal them).
 */
public record Location(String project, String name, Provider provider, String bucket, String prefix,
                       Map<LocationField, String> fields, LocationStatus status, Instant createdAt) {

    public Location {
        EnumMap<LocationField, String> copy = new EnumMap<>(LocationField.class);
        copy.putAll(fields);
        fields = Collections.unmodifiableMap(copy);
        prefix = prefix == null ? "" : prefix;
    }

    public String field(LocationField field) {
        return fields.get(field);
    }

    public boolean flag(LocationField field) {
        return Boolean.parseBoolean(fields.get(field));
    }

    /** How backups into it snapshot disks; CSI when it says nothing. */
    public SnapshotMode snapshotMode() {
        String mode = fields.get(LocationField.SNAPSHOT_MODE);
        return mode == null ? SnapshotMode.CSI : SnapshotMode.fromWire(mode);
    }

    public Location withStatus(LocationStatus newStatus) {
        return new Location(project, name, provider, bucket, prefix, fields, newStatus, createdAt);
    }

    /** The KMS key that wraps the data keys of this location's backups, or null when they are not encrypted. */
    public String kmsKeyId() {
        return fields.get(LocationField.KMS_KEY_ID);
    }

    /** How this location's backups are locked, or null when they are not. */
    public Immutability immutability() {
        String days = fields.get(LocationField.IMMUTABILITY_DAYS);
        String mode = fields.get(LocationField.IMMUTABILITY_MODE);
        return days == null || mode == null ? null
                : new Immutability(Integer.parseInt(days), io.lifeboat.objectstore.Retention.Mode.fromWire(mode));
    }

    /** The location as stored without its secret fields (what may be read without opening them). */
    public Location withoutSecrets() {
        Map<LocationField, String> plain = new EnumMap<>(LocationField.class);
        fields.forEach((field, value) -> {
            if (!field.secret()) {
                plain.put(field, value);
            }
        });
        return new Location(project, name, provider, bucket, prefix, plain, status, createdAt);
    }

    /** The secret values, for scrubbing them out of any message that leaves Lifeboat. */
    public java.util.List<String> secretValues() {
        return fields.entrySet().stream().filter(e -> e.getKey().secret()).map(Map.Entry::getValue).toList();
    }
}

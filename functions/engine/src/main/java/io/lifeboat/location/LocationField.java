package io.lifeboat.location;

/**
 * Every provider-specific setting of a location, with whether it is a secret. Secret fields are sealed at rest
 * and never returned by the API; this enum is the one place that says which they are.
 */
public enum LocationField {
    REGION("region", false),
    S3_URL("s3Url", false),
    FORCE_PATH_STYLE("forcePathStyle", false),
    CA_CERTIFICATE("caCertificate", false),
    ACCESS_KEY_ID("accessKeyId", true),
    SECRET_ACCESS_KEY("secretAccessKey", true),
    ROLE_ARN("roleArn", false),
    EXTERNAL_ID("externalId", true),
    JSON_CREDENTIALS("jsonCredentials", true),
    ENDPOINT("endpoint", false),
    STORAGE_ACCOUNT("storageAccount", false),
    SKU("sku", false),
    RESOURCE_GROUP("resourceGroup", false),
    TENANT_ID("tenantId", false),
    CLIENT_ID("clientId", false),
    SUBSCRIPTION_ID("subscriptionId", false),
    CLIENT_SECRET("clientSecret", true),
    AUTHORITY_HOST("authorityHost", false),
    /** {@code encryption.kmsKeyId}: the KMS key that wraps the data key of each backup; absent, nothing is encrypted. */
    KMS_KEY_ID("kmsKeyId", false),
    /** {@code immutability.days} and {@code .mode}: how long and how each backup's objects are locked. */
    IMMUTABILITY_DAYS("immutabilityDays", false),
    IMMUTABILITY_MODE("immutabilityMode", false),
    /** How a backup with "include all disks" snapshots them: {@link SnapshotMode}. */
    SNAPSHOT_MODE("snapshotMode", false);

    private final String key;
    private final boolean secret;

    LocationField(String key, boolean secret) {
        this.key = key;
        this.secret = secret;
    }

    public String key() {
        return key;
    }

    public boolean secret() {
        return secret;
    }

    public static LocationField fromKey(String key) {
        for (LocationField f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown location field " + key);
    }
}

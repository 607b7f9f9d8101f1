package io.lifeboat.location;

/**
 * The body of {@code POST /v1/projects/{project}/locations}, exactly as sent. {@link LocationRequests} checks it
 * and turns it into a {@link Location}.
 */
public record LocationRequest(
        String name,
        String provider,
        String bucket,
        String prefix,
        String region,
        String s3Url,
        Boolean forcePathStyle,
        String caCertificate,
        Credentials credentials,
        Sts sts,
        String jsonCredentials,
        String endpoint,
        String container,
        String storageAccount,
        String sku,
        String resourceGroup,
        String tenantId,
        String clientId,
        String subscriptionId,
        String clientSecret,
        String authorityHost,
        Encryption encryption,
        Immutability immutability,
        String snapshotMode) {

    /** A request without encryption, immutability or snapshot mode (CSI). */
    public LocationRequest(String name, String provider, String bucket, String prefix, String region, String s3Url,
                           Boolean forcePathStyle, String caCertificate, Credentials credentials, Sts sts,
                           String jsonCredentials, String endpoint, String container, String storageAccount, String sku,
                           String resourceGroup, String tenantId, String clientId, String subscriptionId,
                           String clientSecret, String authorityHost) {
        this(name, provider, bucket, prefix, region, s3Url, forcePathStyle, caCertificate, credentials, sts,
                jsonCredentials, endpoint, container, storageAccount, sku, resourceGroup, tenantId, clientId,
                subscriptionId, clientSecret, authorityHost, null, null, null);
    }

    /** A request with a snapshot mode, without encryption or immutability. */
    public LocationRequest(String name, String provider, String bucket, String prefix, String region, String s3Url,
                           Boolean forcePathStyle, String caCertificate, Credentials credentials, Sts sts,
                           String jsonCredentials, String endpoint, String container, String storageAccount, String sku,
                           String resourceGroup, String tenantId, String clientId, String subscriptionId,
                           String clientSecret, String authorityHost, String snapshotMode) {
        this(name, provider, bucket, prefix, region, s3Url, forcePathStyle, caCertificate, credentials, sts,
                jsonCredentials, endpoint, container, storageAccount, sku, resourceGroup, tenantId, clientId,
                subscriptionId, clientSecret, authorityHost, null, null, snapshotMode);
    }

    /** A request with encryption and immutability, without snapshot mode (CSI). */
    public LocationRequest(String name, String provider, String bucket, String prefix, String region, String s3Url,
                           Boolean forcePathStyle, String caCertificate, Credentials credentials, Sts sts,
                           String jsonCredentials, String endpoint, String container, String storageAccount, String sku,
                           String resourceGroup, String tenantId, String clientId, String subscriptionId,
                           String clientSecret, String authorityHost, Encryption encryption, Immutability immutability) {
        this(name, provider, bucket, prefix, region, s3Url, forcePathStyle, caCertificate, credentials, sts,
                jsonCredentials, endpoint, container, storageAccount, sku, resourceGroup, tenantId, clientId,
                subscriptionId, clientSecret, authorityHost, encryption, immutability, null);
    }

    public record Credentials(String accessKeyId, String secretAccessKey) {
    }

    public record Sts(String roleArn, String externalId) {
    }

    /** Client-side encryption of every backup's objects, with data keys wrapped by this KMS key. */
    public record Encryption(String kmsKeyId) {
    }

    /** Every backup's objects locked for {@code days} days, in mode governance or compliance. */
    public record Immutability(Integer days, String mode) {
    }
}

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
        String snapshotMode) {

    /** A request without a snapshot mode (CSI). */
    public LocationRequest(String name, String provider, String bucket, String prefix, String region, String s3Url,
                           Boolean forcePathStyle, String caCertificate, Credentials credentials, Sts sts,
                           String jsonCredentials, String endpoint, String container, String storageAccount, String sku,
                           String resourceGroup, String tenantId, String clientId, String subscriptionId,
                           String clientSecret, String authorityHost) {
        this(name, provider, bucket, prefix, region, s3Url, forcePathStyle, caCertificate, credentials, sts,
                jsonCredentials, endpoint, container, storageAccount, sku, resourceGroup, tenantId, clientId,
                subscriptionId, clientSecret, authorityHost, null);
    }

    public record Credentials(String accessKeyId, String secretAccessKey) {
    }

    public record Sts(String roleArn, String externalId) {
    }
}

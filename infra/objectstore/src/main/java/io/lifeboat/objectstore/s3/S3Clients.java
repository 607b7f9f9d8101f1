package io.lifeboat.objectstore.s3;

import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.objectstore.outbound.CheckedDns;
import io.lifeboat.location.LocationField;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.time.Duration;

/**
 * Builds the S3 client of an {@code aws} location: static keys, or a role assumed through STS with the location's
 * external ID and a {@link SessionPolicy} that limits the session to the location's bucket and prefix. {@code sts}
 * says how to reach STS and with which base credentials (the function's own role in AWS).
 */
public final class S3Clients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final StsAccess sts;
    private final OutboundPolicy outbound;

    /** Every connection, to S3 and to STS, goes only to addresses {@code outbound} allows. */
    public S3Clients(StsAccess sts, OutboundPolicy outbound) {
        this.sts = sts;
        this.outbound = outbound;
    }

    /** How STS is reached: an endpoint override (tests) and the caller's base credentials (null: the default chain). */
    public record StsAccess(URI endpointOverride, AwsCredentialsProvider baseCredentials) {
        public static StsAccess defaults() {
            return new StsAccess(null, null);
        }
    }

    /**
     * The client, what else must be closed with it (the STS client of an assumed role), and whether its session is
     * limited by a {@link SessionPolicy} (then the bucket is checked with GetBucketLocation, which the policy allows,
     * not HeadBucket, which needs a listing of the whole bucket).
     */
    public record Opened(S3Client s3, AutoCloseable companions, boolean scopedSession) {
        public Opened(S3Client s3, AutoCloseable companions) {
            this(s3, companions, false);
        }
    }

    public Opened create(Location location) {
        Region region = Region.of(location.field(LocationField.REGION));
        var builder = S3Client.builder()
                .region(region)
                .httpClient(httpClient())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(CALL_TIMEOUT)
                        .retryStrategy(RetryMode.STANDARD)
                        .build())
                .forcePathStyle(location.flag(LocationField.FORCE_PATH_STYLE));
        if (location.field(LocationField.S3_URL) != null) {
            builder.endpointOverride(URI.create(location.field(LocationField.S3_URL)));
        }
        if (location.field(LocationField.ROLE_ARN) == null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    location.field(LocationField.ACCESS_KEY_ID), location.field(LocationField.SECRET_ACCESS_KEY))));
            return new Opened(builder.build(), () -> { });
        }
        String policy = SessionPolicy.of(location.field(LocationField.REGION), location.bucket(), location.prefix());
        StsAssumeRoleCredentialsProvider assumed = assumeRole(location, region, policy);
        builder.credentialsProvider(assumed);
        return new Opened(builder.build(), assumed, true);
    }

    private StsAssumeRoleCredentialsProvider assumeRole(Location location, Region region, String policy) {
        var stsBuilder = StsClient.builder().region(region).httpClient(httpClient());
        if (sts.endpointOverride() != null) {
            stsBuilder.endpointOverride(sts.endpointOverride());
        }
        if (sts.baseCredentials() != null) {
            stsBuilder.credentialsProvider(sts.baseCredentials());
        }
        StsClient stsClient = stsBuilder.build();
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(stsClient)
                .refreshRequest(r -> {
                    r.roleArn(location.field(LocationField.ROLE_ARN)).roleSessionName(sessionName(location.name()))
                            .durationSeconds(3600).policy(policy);
                    if (location.field(LocationField.EXTERNAL_ID) != null) {
                        r.externalId(location.field(LocationField.EXTERNAL_ID));
                    }
                })
                .asyncCredentialUpdateEnabled(false)
                .build();
    }

    /** The AWS SDK's Apache client does not follow redirects; its DNS lookups go through the policy. */
    private SdkHttpClient httpClient() {
        return ApacheHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(CALL_TIMEOUT)
                .dnsResolver(new CheckedDns(outbound))
                .build();
    }

    /** "lifeboat-" and the location's name, cut to the 64 characters AssumeRole takes (a name may have 63). */
    static String sessionName(String locationName) {
        String session = "lifeboat-" + locationName;
        return session.length() <= 64 ? session : session.substring(0, 64);
    }
}

package io.lifeboat.objectstore.s3;

import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

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
        LocationCredentials.Provided credentials = LocationCredentials.of(location, region, "lifeboat-",
                sts.endpointOverride(), sts.baseCredentials(), httpClient());
        builder.credentialsProvider(credentials.provider());
        return new Opened(builder.build(), credentials.companions(), credentials.assumedRole());
    }

    /** The AWS SDK's Apache client does not follow redirects; its DNS lookups go through the policy. */
    private SdkHttpClient httpClient() {
        return LocationCredentials.httpClient(outbound, CONNECT_TIMEOUT, CALL_TIMEOUT);
    }

    /** "lifeboat-" and the location's name, cut to the 64 characters AssumeRole takes (a name may have 63). */
    static String sessionName(String locationName) {
        return LocationCredentials.sessionName("lifeboat-", locationName);
    }
}

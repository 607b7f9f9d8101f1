package io.lifeboat.disks.aws;

import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.objectstore.outbound.CheckedDns;
import io.lifeboat.objectstore.s3.SessionPolicy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.time.Duration;

/**
 * Builds the EC2 client of an {@code aws} location, in the location's region, with its credentials: its static keys,
 * or its role assumed through STS with its external ID and the same session policy as its bucket's sessions (which
 * keeps the role's EC2 snapshot actions). Retries follow the SDK's standard mode (throttling such as
 * {@code RequestLimitExceeded} is retried with backoff). Connections go only to addresses the outbound policy allows.
 */
public final class Ec2Clients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final Access access;
    private final OutboundPolicy outbound;

    /**
     * Where EC2 and STS are reached (null: AWS's own endpoints; tests: a recorder) and with which base credentials
     * the role is assumed (null: the default chain, the function's own role in AWS).
     */
    public record Access(URI ec2Endpoint, URI stsEndpoint, AwsCredentialsProvider baseCredentials) {
        public static Access defaults() {
            return new Access(null, null, null);
        }
    }

    public Ec2Clients(Access access, OutboundPolicy outbound) {
        this.access = access;
        this.outbound = outbound;
    }

    /** The client, and what else must be closed with it (the STS client of an assumed role). */
    public record Opened(Ec2Client ec2, AutoCloseable companions) {
    }

    public Opened create(Location location) {
        Region region = Region.of(location.field(LocationField.REGION));
        var builder = Ec2Client.builder()
                .region(region)
                .httpClient(httpClient())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(CALL_TIMEOUT)
                        .retryStrategy(RetryMode.STANDARD)
                        .build());
        if (access.ec2Endpoint() != null) {
            builder.endpointOverride(access.ec2Endpoint());
        }
        if (location.field(LocationField.ROLE_ARN) == null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    location.field(LocationField.ACCESS_KEY_ID), location.field(LocationField.SECRET_ACCESS_KEY))));
            return new Opened(builder.build(), () -> { });
        }
        var stsBuilder = StsClient.builder().region(region).httpClient(httpClient());
        if (access.stsEndpoint() != null) {
            stsBuilder.endpointOverride(access.stsEndpoint());
        }
        if (access.baseCredentials() != null) {
            stsBuilder.credentialsProvider(access.baseCredentials());
        }
        String policy = SessionPolicy.of(location.field(LocationField.REGION), location.bucket(), location.prefix());
        StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(stsBuilder.build())
                .refreshRequest(r -> {
                    r.roleArn(location.field(LocationField.ROLE_ARN)).roleSessionName(sessionName(location.name()))
                            .durationSeconds(3600).policy(policy);
                    if (location.field(LocationField.EXTERNAL_ID) != null) {
                        r.externalId(location.field(LocationField.EXTERNAL_ID));
                    }
                })
                .asyncCredentialUpdateEnabled(false)
                .build();
        builder.credentialsProvider(assumed);
        return new Opened(builder.build(), assumed);
    }

    /** The Apache client follows no redirect; its DNS lookups go through the policy. */
    private SdkHttpClient httpClient() {
        return ApacheHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(CALL_TIMEOUT)
                .dnsResolver(new CheckedDns(outbound))
                .build();
    }

    static String sessionName(String locationName) {
        String session = "lifeboat-disks-" + locationName;
        return session.length() <= 64 ? session : session.substring(0, 64);
    }
}

package io.lifeboat.disks.aws;

import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.objectstore.s3.LocationCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

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
                .httpClient(LocationCredentials.httpClient(outbound, CONNECT_TIMEOUT, CALL_TIMEOUT))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(CALL_TIMEOUT)
                        .retryStrategy(RetryMode.STANDARD)
                        .build());
        if (access.ec2Endpoint() != null) {
            builder.endpointOverride(access.ec2Endpoint());
        }
        LocationCredentials.Provided credentials = LocationCredentials.of(location, region, "lifeboat-disks-",
                access.stsEndpoint(), access.baseCredentials(),
                LocationCredentials.httpClient(outbound, CONNECT_TIMEOUT, CALL_TIMEOUT));
        builder.credentialsProvider(credentials.provider());
        return new Opened(builder.build(), credentials.companions());
    }
}

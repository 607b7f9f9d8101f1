package io.lifeboat.objectstore.s3;

import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.objectstore.outbound.CheckedDns;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.net.URI;
import java.time.Duration;

/**
 * The credentials of an {@code aws} location, for every AWS client Lifeboat makes with them (S3, EC2): its static
 * keys, or its role assumed through STS with its external ID and the location's session policy
 * ({@link SessionPolicy}), in sessions named for the location. The HTTP client follows no redirect and resolves names
 * through the outbound policy.
 */
public final class LocationCredentials {
    private LocationCredentials() {
    }

    /** The provider, what must be closed with the client (the STS client of an assumed role), and whether it is one. */
    public record Provided(AwsCredentialsProvider provider, AutoCloseable companions, boolean assumedRole) {
    }

    /**
     * The location's credentials. {@code stsEndpoint} null: AWS's own; {@code baseCredentials} null: the default chain
     * (the function's own role in AWS); {@code sessionPrefix} starts the STS session's name ("lifeboat-").
     */
    public static Provided of(Location location, Region region, String sessionPrefix, URI stsEndpoint,
                              AwsCredentialsProvider baseCredentials, SdkHttpClient http) {
        if (location.field(LocationField.ROLE_ARN) == null) {
            return new Provided(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    location.field(LocationField.ACCESS_KEY_ID), location.field(LocationField.SECRET_ACCESS_KEY))),
                    () -> { }, false);
        }
        var stsBuilder = StsClient.builder().region(region).httpClient(http);
        if (stsEndpoint != null) {
            stsBuilder.endpointOverride(stsEndpoint);
        }
        if (baseCredentials != null) {
            stsBuilder.credentialsProvider(baseCredentials);
        }
        String policy = SessionPolicy.of(location.field(LocationField.REGION), location.bucket(), location.prefix());
        StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder()
                .stsClient(stsBuilder.build())
                .refreshRequest(r -> {
                    r.roleArn(location.field(LocationField.ROLE_ARN))
                            .roleSessionName(sessionName(sessionPrefix, location.name()))
                            .durationSeconds(3600).policy(policy);
                    if (location.field(LocationField.EXTERNAL_ID) != null) {
                        r.externalId(location.field(LocationField.EXTERNAL_ID));
                    }
                })
                .asyncCredentialUpdateEnabled(false)
                .build();
        return new Provided(assumed, assumed, true);
    }

    /** The AWS SDK's Apache client: no redirects, DNS lookups through the policy. */
    public static SdkHttpClient httpClient(OutboundPolicy outbound, Duration connectTimeout, Duration socketTimeout) {
        return ApacheHttpClient.builder()
                .connectionTimeout(connectTimeout)
                .socketTimeout(socketTimeout)
                .dnsResolver(new CheckedDns(outbound))
                .build();
    }

    /** The prefix and the location's name, cut to the 64 characters AssumeRole takes (a name may have 63). */
    static String sessionName(String prefix, String locationName) {
        String session = prefix + locationName;
        return session.length() <= 64 ? session : session.substring(0, 64);
    }
}

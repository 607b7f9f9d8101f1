package io.lifeboat.api.view;


import com.fasterxml.jackson.annotation.JsonInclude;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A location: its settings as asked, with every secret replaced by {@value #MASK}, and its validation status. */
@Schema(name = "Location")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LocationView(String name, String project, Instant createdAt, Spec spec, Status status) {
    public static final String MASK = "***";

    /** The fields of the request, by the same names. */
    @Schema(name = "LocationSpec")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(String provider, String bucket, String container, String prefix, String region, String s3Url,
                       Boolean forcePathStyle, String caCertificate, Credentials credentials, Sts sts,
                       String jsonCredentials, String endpoint, String storageAccount, String sku, String resourceGroup,
                       String tenantId, String clientId, String subscriptionId, String clientSecret,
                       String authorityHost, String snapshotMode, Encryption encryption, Immutability immutability) {
    }

    /** Client-side encryption of every backup's objects, the data keys wrapped by this KMS key. */
    @Schema(name = "LocationEncryption")
    public record Encryption(String kmsKeyId) {
    }

    /** Every backup's objects locked for {@code days} days, in {@code mode} (governance or compliance). */
    @Schema(name = "LocationImmutability")
    public record Immutability(int days, String mode) {
    }

    @Schema(name = "LocationCredentials")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Credentials(String accessKeyId, String secretAccessKey) {
    }

    @Schema(name = "LocationSts")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sts(String roleArn, String externalId) {
    }

    /** {@code reason} only when Unavailable. */
    @Schema(name = "LocationStatus")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(LocationStatus.Phase phase, LocationStatus.Reason reason, String message,
                         Instant lastValidatedAt) {
    }

    public static LocationView of(Location l) {
        boolean azure = l.provider() == Provider.AZURE;
        Credentials credentials = l.fields().containsKey(LocationField.ACCESS_KEY_ID)
                || l.fields().containsKey(LocationField.SECRET_ACCESS_KEY)
                ? new Credentials(shown(l, LocationField.ACCESS_KEY_ID), shown(l, LocationField.SECRET_ACCESS_KEY)) : null;
        Sts sts = l.fields().containsKey(LocationField.ROLE_ARN) || l.fields().containsKey(LocationField.EXTERNAL_ID)
                ? new Sts(shown(l, LocationField.ROLE_ARN), shown(l, LocationField.EXTERNAL_ID)) : null;
        String forcePathStyle = l.field(LocationField.FORCE_PATH_STYLE);
        Spec spec = new Spec(l.provider().wireName(), azure ? null : l.bucket(), azure ? l.bucket() : null,
                l.prefix().isEmpty() ? null : l.prefix(), shown(l, LocationField.REGION), shown(l, LocationField.S3_URL),
                forcePathStyle == null ? null : Boolean.parseBoolean(forcePathStyle), shown(l, LocationField.CA_CERTIFICATE),
                credentials, sts, shown(l, LocationField.JSON_CREDENTIALS), shown(l, LocationField.ENDPOINT),
                shown(l, LocationField.STORAGE_ACCOUNT), shown(l, LocationField.SKU), shown(l, LocationField.RESOURCE_GROUP),
                shown(l, LocationField.TENANT_ID), shown(l, LocationField.CLIENT_ID), shown(l, LocationField.SUBSCRIPTION_ID),
                shown(l, LocationField.CLIENT_SECRET), shown(l, LocationField.AUTHORITY_HOST),
                l.snapshotMode().wireName(),
                l.kmsKeyId() == null ? null : new Encryption(l.kmsKeyId()),
                l.immutability() == null ? null
                        : new Immutability(l.immutability().days(), l.immutability().mode().wireName()));
        LocationStatus s = l.status();
        return new LocationView(l.name(), l.project(), l.createdAt(), spec,
                new Status(s.phase(), s.reason(), s.message(), s.lastValidatedAt()));
    }

    /** The value, or {@value #MASK} for a secret one (LocationField says which); null when not set. */
    private static String shown(Location l, LocationField field) {
        String value = l.field(field);
        return value == null ? null : field.secret() ? MASK : value;
    }
}

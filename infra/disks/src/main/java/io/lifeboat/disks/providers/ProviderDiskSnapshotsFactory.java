package io.lifeboat.disks.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.disk.DiskException;
import io.lifeboat.disk.DiskSnapshots;
import io.lifeboat.disks.aws.Ec2Clients;
import io.lifeboat.disks.aws.Ec2DiskSnapshots;
import io.lifeboat.disks.azure.AzureDiskSnapshots;
import io.lifeboat.disks.gcp.GceDiskSnapshots;
import io.lifeboat.disks.gcp.ServiceAccountToken;
import io.lifeboat.disks.http.BearerToken;
import io.lifeboat.disks.http.JsonHttp;
import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.DiskSnapshotsFactory;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;

import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * Opens the disk snapshots of a location's cloud with the location's own credentials: EC2 (AWS SDK v2) for an aws
 * location, Azure Resource Manager's REST API with the location's service principal (client credentials at its
 * authority, for {@value #AZURE_SCOPE}) for azure, Compute Engine's REST API with the location's service-account key
 * for gcp. A minio location reaches no disks.
 */
public final class ProviderDiskSnapshotsFactory implements DiskSnapshotsFactory {
    public static final String AZURE_SCOPE = "https://management.azure.com/.default";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ec2Clients ec2;
    private final Endpoints endpoints;
    private final JsonHttp http;
    private final Clock clock;

    /** Where Azure Resource Manager and Compute Engine are reached: theirs, or a recorder's in tests. */
    public record Endpoints(URI azureManagement, URI azureAuthority, URI computeEngine) {
        public static Endpoints defaults() {
            return new Endpoints(URI.create("https://management.azure.com"),
                    URI.create("https://login.microsoftonline.com"), URI.create("https://compute.googleapis.com"));
        }
    }

    public ProviderDiskSnapshotsFactory(Ec2Clients ec2, Endpoints endpoints, OutboundPolicy outbound, Clock clock) {
        this.ec2 = ec2;
        this.endpoints = endpoints;
        this.http = new JsonHttp(outbound);
        this.clock = clock;
    }

    /** AWS's endpoints and the default credential chain; Azure's and Google's public endpoints. */
    public static ProviderDiskSnapshotsFactory standard(Ec2Clients.Access access, OutboundPolicy outbound) {
        return new ProviderDiskSnapshotsFactory(new Ec2Clients(access, outbound), Endpoints.defaults(), outbound,
                Clock.systemUTC());
    }

    @Override
    public DiskSnapshots open(Location location) {
        return switch (location.provider()) {
            case AWS -> {
                Ec2Clients.Opened opened = ec2.create(location);
                yield new Ec2DiskSnapshots(opened.ec2(), opened.companions());
            }
            case AZURE -> azure(location);
            case GCP -> gcp(location);
            case MINIO -> throw new DiskException("Unsupported", false, "a minio location reaches no cloud's disks");
        };
    }

    private DiskSnapshots azure(Location location) {
        String authority = location.field(LocationField.AUTHORITY_HOST) != null
                ? location.field(LocationField.AUTHORITY_HOST) : endpoints.azureAuthority().toString();
        URI tokenUri = URI.create(authority.replaceAll("/+$", "") + "/" + location.field(LocationField.TENANT_ID)
                + "/oauth2/v2.0/token");
        BearerToken token = new BearerToken(() -> http.form(tokenUri, Map.of("grant_type", "client_credentials",
                "client_id", location.field(LocationField.CLIENT_ID),
                "client_secret", location.field(LocationField.CLIENT_SECRET), "scope", AZURE_SCOPE)), clock);
        return new AzureDiskSnapshots(http, endpoints.azureManagement(), token,
                location.field(LocationField.SUBSCRIPTION_ID), location.field(LocationField.RESOURCE_GROUP));
    }

    private DiskSnapshots gcp(Location location) {
        JsonNode key;
        try {
            key = JSON.readTree(location.field(LocationField.JSON_CREDENTIALS));
        } catch (Exception e) {
            throw new DiskException("InvalidServiceAccountKey", false, "the location's service-account key is not JSON");
        }
        String project = ServiceAccountToken.project(key);
        if (project == null || project.isEmpty()) {
            throw new DiskException("InvalidServiceAccountKey", false, "the location's service-account key has no project_id");
        }
        BearerToken token = new BearerToken(() -> ServiceAccountToken.request(http, key, clock), clock);
        return new GceDiskSnapshots(http, endpoints.computeEngine(), token, project);
    }
}

package io.lifeboat.objectstore.providers;

import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.location.ObjectStoreFactory;
import io.lifeboat.objectstore.azure.AzureBlobObjectStore;
import io.lifeboat.objectstore.azure.AzureContainerFactory;
import io.lifeboat.objectstore.azure.ClientSecretContainerFactory;
import io.lifeboat.objectstore.gcs.GcsObjectStore;
import io.lifeboat.objectstore.gcs.GcsStorageFactory;
import io.lifeboat.objectstore.gcs.KeyFileGcsStorageFactory;
import io.lifeboat.objectstore.minio.MinioClients;
import io.lifeboat.objectstore.minio.MinioObjectStore;
import io.lifeboat.objectstore.s3.S3Clients;
import io.lifeboat.objectstore.s3.S3ObjectStore;

/** Opens a location's bucket with its provider's own SDK: AWS SDK v2, MinIO client, google-cloud-storage, azure-storage-blob. */
public final class ProviderObjectStoreFactory implements ObjectStoreFactory {
    private final S3Clients s3;
    private final GcsStorageFactory gcs;
    private final AzureContainerFactory azure;
    private final OutboundPolicy outbound;

    /** {@code gcs} and {@code azure} build those providers' clients; the Azure one is reused, as it holds a connection pool. */
    public ProviderObjectStoreFactory(S3Clients s3, GcsStorageFactory gcs, AzureContainerFactory azure,
                                      OutboundPolicy outbound) {
        this.s3 = s3;
        this.gcs = gcs;
        this.azure = azure;
        this.outbound = outbound;
    }

    /**
     * The factory for production: STS access, key-file GCS clients, client-secret Azure clients, each connecting only
     * where {@code outbound} allows.
     */
    public static ProviderObjectStoreFactory standard(S3Clients.StsAccess sts, OutboundPolicy outbound) {
        return new ProviderObjectStoreFactory(new S3Clients(sts, outbound), new KeyFileGcsStorageFactory(outbound),
                new ClientSecretContainerFactory(outbound), outbound);
    }

    @Override
    public ObjectStore open(Location location) {
        return switch (location.provider()) {
            case AWS -> {
                S3Clients.Opened opened = s3.create(location);
                boolean amazonS3 = location.field(LocationField.S3_URL) == null;
                String endpoint = amazonS3 ? "s3." + location.field(LocationField.REGION) + ".amazonaws.com"
                        : location.field(LocationField.S3_URL);
                yield new S3ObjectStore(opened.s3(), location.bucket(), endpoint, opened.companions(),
                        opened.scopedSession(), amazonS3);
            }
            case MINIO -> new MinioObjectStore(MinioClients.create(location, outbound), location.bucket(),
                    location.field(LocationField.S3_URL));
            case GCP -> GcsObjectStore.open(location, gcs);
            case AZURE -> AzureBlobObjectStore.open(location, azure);
        };
    }
}

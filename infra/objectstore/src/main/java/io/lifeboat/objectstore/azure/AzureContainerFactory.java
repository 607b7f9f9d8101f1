package io.lifeboat.objectstore.azure;

import com.azure.storage.blob.BlobContainerClient;
import io.lifeboat.location.Location;

/** Makes the client of an Azure location's container; tests hand in their own HTTP client through the real one. */
@FunctionalInterface
public interface AzureContainerFactory {
    /** Fails with a {@link io.lifeboat.objectstore.StoreException} when the location's settings cannot be used. */
    BlobContainerClient create(Location location);
}

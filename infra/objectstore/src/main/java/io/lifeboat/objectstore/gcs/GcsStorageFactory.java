package io.lifeboat.objectstore.gcs;

import com.google.cloud.storage.Storage;
import io.lifeboat.location.Location;

/** Makes the google-cloud-storage client for a GCP location; tests hand in their own (an in-memory one, say). */
@FunctionalInterface
public interface GcsStorageFactory {
    /** Fails with a {@link io.lifeboat.objectstore.StoreException} when the location's key cannot be used. */
    Storage create(Location location);
}

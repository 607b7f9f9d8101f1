package io.lifeboat.objectstore;

import io.lifeboat.location.Location;

/** Opens the object store a location describes. */
public interface ObjectStoreFactory {
    ObjectStore open(Location location);
}

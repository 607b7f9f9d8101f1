package io.lifeboat.location;

import io.lifeboat.location.Location;
import io.lifeboat.objectstore.ObjectStore;

/** Opens the object store a location describes. */
public interface ObjectStoreFactory {
    ObjectStore open(Location location);
}

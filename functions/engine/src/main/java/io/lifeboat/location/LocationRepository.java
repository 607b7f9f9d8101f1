package io.lifeboat.location;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.util.List;
import java.util.Optional;

/** Persistence of locations. Implementations seal the secret fields at rest. */
public interface LocationRepository {
    /**
     * Stores a new location; throws ConflictException naming {@code name} when the name is taken in the project, or
     * naming {@code bucket} or {@code prefix} when another location, of any project, holds an overlapping
     * {@link BucketClaim} (the same store, and an equal or nested prefix). Two racing creates cannot both win, and a
     * refused one writes nothing.
     */
    void create(Location location);

    Optional<Location> find(String project, String name);

    /**
     * The location's validation status, without opening its secrets: what starting a backup checks, so that the
     * minute tick needs no key to decrypt.
     */
    Optional<LocationStatus> findStatus(String project, String name);

    /**
     * The location without its secret fields, none of them opened: its plain settings (its encryption and
     * immutability among them) and its status, what starting a backup needs.
     */
    Optional<Location> findPlain(String project, String name);

    /** One page of the project's locations, in name order. */
    Page<Location> list(String project, PageRequest page);

    /** Every location of every project, for the scheduled validation. */
    List<Location> listAll();

    /** Records a validation outcome; does nothing if the location was deleted meanwhile. */
    void updateStatus(String project, String name, LocationStatus status);

    /** Deletes the location and releases its {@link BucketClaim}; returns false when there was nothing to delete. */
    boolean delete(String project, String name);
}

package io.lifeboat.location;

import io.lifeboat.archive.Layout;
import io.lifeboat.encryption.BackupKeys;
import io.lifeboat.encryption.KeyException;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.secret.Redactor;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;

/**
 * Checks a location for real: the bucket exists, and a probe object under the location's prefix can be written,
 * read back, listed and deleted. An immutable location's bucket must be able to lock objects (the store says why not:
 * ImmutabilityNotEnabled), and an encrypted location's KMS key must make a data key and unwrap it again (KeyNotUsable).
 * The probe object itself is written unlocked.
 */
public final class LocationProbe {
    private final ObjectStoreFactory stores;
    private final Clock clock;
    private final BackupKeys keys;

    public LocationProbe(ObjectStoreFactory stores, Clock clock) {
        this(stores, clock, BackupKeys.NONE);
    }

    /** With the key service an encrypted location's KMS key is checked through. */
    public LocationProbe(ObjectStoreFactory stores, Clock clock, BackupKeys keys) {
        this.stores = stores;
        this.clock = clock;
        this.keys = keys;
    }

    public LocationStatus probe(Location location) {
        Redactor redactor = new Redactor(location.secretValues());
        try (ObjectStore store = stores.open(location)) {
            store.checkBucket();
            String key = Layout.probeKey(location.prefix(), UUID.randomUUID().toString());
            byte[] content = ("lifeboat probe " + clock.instant()).getBytes(StandardCharsets.UTF_8);
            store.put(key, content);
            try {
                if (!Arrays.equals(content, store.get(key))) {
                    return unavailable(LocationStatus.Reason.ReadBackMismatch, "the probe object read back differs from what was written");
                }
                if (!store.list(Layout.probeFolder(location.prefix())).contains(key)) {
                    return unavailable(LocationStatus.Reason.ListMismatch, "the probe object was written but is not listed");
                }
            } finally {
                store.delete(key);
            }
            if (location.immutability() != null) {
                store.checkRetention(); // ImmutabilityNotEnabled, with the store's own words
            }
            if (location.kmsKeyId() != null) {
                try {
                    keys.check(location.kmsKeyId(), "probe/" + location.project() + "/" + location.name());
                } catch (KeyException e) {
                    return unavailable(LocationStatus.Reason.KeyNotUsable, "the KMS key " + location.kmsKeyId()
                            + " cannot wrap this location's data keys: " + e.reason() + ": "
                            + redactor.scrub(String.valueOf(e.getMessage())));
                }
            }
            return LocationStatus.available(clock.instant());
        } catch (StoreException e) {
            return unavailable(LocationStatus.Reason.of(e.reason()), redactor.scrub(e.getMessage()));
        } catch (RuntimeException e) {
            return unavailable(LocationStatus.Reason.Error, redactor.scrub(String.valueOf(e.getMessage())));
        }
    }

    private LocationStatus unavailable(LocationStatus.Reason reason, String message) {
        return LocationStatus.unavailable(reason, message, clock.instant());
    }
}

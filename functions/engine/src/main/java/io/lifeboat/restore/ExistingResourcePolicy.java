package io.lifeboat.restore;

import io.lifeboat.error.InvalidInputException;

import java.util.Arrays;

/**
 * What a restore does with an object that exists in the target and differs from the backup's (Velero's
 * {@code existingResourcePolicy}): {@code none} keeps it and warns, {@code update} updates it. The constants are the
 * wire names.
 */
public enum ExistingResourcePolicy {
    none, update;

    /** The policy a request names; absent is {@code none}; any other word is refused, naming {@code field}. */
    public static ExistingResourcePolicy parse(String field, String given) {
        if (given == null) {
            return none;
        }
        return Arrays.stream(values()).filter(p -> p.name().equals(given)).findFirst()
                .orElseThrow(() -> new InvalidInputException(field, "must be none or update"));
    }
}

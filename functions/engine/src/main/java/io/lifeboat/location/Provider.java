package io.lifeboat.location;

import java.util.Locale;

/** Where a backup location keeps its objects. */
public enum Provider {
    AWS, MINIO, GCP, AZURE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Provider fromWire(String value) {
        for (Provider p : values()) {
            if (p.wireName().equals(value)) {
                return p;
            }
        }
        return null;
    }
}

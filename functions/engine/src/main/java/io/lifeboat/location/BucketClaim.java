package io.lifeboat.location;

import io.lifeboat.error.ConflictException;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * The part of a bucket a location holds: its store (the provider's kind, its endpoint and the bucket or container) and
 * its prefix. A bucket and prefix belong to one location: no other location, in any project, may hold an equal or
 * nested prefix of the same store, so that no project can write, expire or read what another's backups hold there.
 *
 * <p>Prefixes nest by whole path segments ("team" holds "team/x", not "team-a"); the empty prefix holds the whole
 * bucket. Endpoints are compared as normalized URLs (host in lower case without a final dot, the scheme's default
 * port made explicit, no final '/'); every AWS S3 endpoint is the one store "aws" (bucket names are global there),
 * or "aws-cn" in China. S3 and MinIO locations share stores: both speak S3.
 */
public record BucketClaim(String store, String prefix) {
    public BucketClaim {
        prefix = prefix == null ? "" : stripSlashes(prefix);
    }

    public static BucketClaim of(Location location) {
        return of(location.provider(), location.bucket(), location.prefix(), location.fields());
    }

    /** From a location's plain parts (what its stored record holds without opening its secrets). */
    public static BucketClaim of(Provider provider, String bucket, String prefix, Map<LocationField, String> fields) {
        String store = switch (provider) {
            case AWS -> "s3|" + (fields.get(LocationField.S3_URL) == null
                    ? awsPartition(fields.get(LocationField.REGION)) : endpoint(fields.get(LocationField.S3_URL)));
            case MINIO -> "s3|" + endpoint(fields.get(LocationField.S3_URL));
            case GCP -> "gcs|" + (fields.get(LocationField.ENDPOINT) == null ? "google"
                    : endpoint(fields.get(LocationField.ENDPOINT)));
            case AZURE -> "azure|" + fields.get(LocationField.STORAGE_ACCOUNT) + "@"
                    + (fields.get(LocationField.ENDPOINT) == null ? "azure" : endpoint(fields.get(LocationField.ENDPOINT)));
        };
        return new BucketClaim(store + "|" + bucket, prefix);
    }

    /** Whether the two hold some key in common: the same store, and either prefix holds the other. */
    public boolean overlaps(BucketClaim other) {
        if (!store.equals(other.store)) {
            return false;
        }
        return prefix.isEmpty() || other.prefix.isEmpty() || prefix.equals(other.prefix)
                || prefix.startsWith(other.prefix + "/") || other.prefix.startsWith(prefix + "/");
    }

    /**
     * The 409 for a new location whose claim overlaps {@code taken}, another location's: it names {@code bucket} when
     * that location holds the whole bucket, {@code prefix} otherwise. It names neither that location nor its project.
     */
    public ConflictException conflictWith(BucketClaim taken) {
        String bucket = store.substring(store.lastIndexOf('|') + 1);
        if (taken.prefix.isEmpty()) {
            return new ConflictException("bucket", "bucket '" + bucket + "' belongs to another location as a whole: "
                    + "choose another bucket");
        }
        return new ConflictException("prefix", "prefix '" + prefix + "' of bucket '" + bucket + "' is equal to, "
                + "holds or lies inside the prefix of another location: choose a prefix that neither holds nor lies "
                + "inside it");
    }

    static String endpoint(String url) {
        if (url == null || url.isBlank()) {
            return "";
        }
        try {
            URI uri = URI.create(url.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            while (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            if (host.equals("amazonaws.com") || host.endsWith(".amazonaws.com")) {
                return "aws";
            }
            if (host.endsWith(".amazonaws.com.cn")) {
                return "aws-cn";
            }
            if (host.equals("storage.googleapis.com")) {
                return "google";
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            String path = uri.getPath() == null ? "" : stripSlashes(uri.getPath());
            return host + ":" + port + (path.isEmpty() ? "" : "/" + path);
        } catch (IllegalArgumentException e) {
            return url.trim().toLowerCase(Locale.ROOT);
        }
    }

    private static String awsPartition(String region) {
        return region != null && region.startsWith("cn-") ? "aws-cn" : "aws";
    }

    private static String stripSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}

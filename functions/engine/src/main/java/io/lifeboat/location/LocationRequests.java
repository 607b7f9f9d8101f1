package io.lifeboat.location;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.input.EndpointPolicy;
import io.lifeboat.input.Names;
import io.lifeboat.objectstore.Retention;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a {@link LocationRequest} field by field and builds the {@link Location} it describes. */
public final class LocationRequests {
    private static final Pattern S3_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern GCS_BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");
    private static final Pattern AZURE_CONTAINER = Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]");
    private static final Pattern AZURE_ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern RESOURCE_GROUP = Pattern.compile("[\\w().-]{1,90}");
    private static final Set<String> AZURE_SKUS = Set.of("Standard_LRS", "Standard_GRS", "Standard_RAGRS",
            "Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS", "Premium_LRS", "Premium_ZRS");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_ID = "(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";
    private static final String KMS_ARN = "arn:aws[a-z-]*:kms:[a-z]{2}(?:-[a-z]+)+-\\d{1,2}:\\d{12}:";
    /** A KMS key: its ID, its ARN, an alias name, or an alias ARN (what KMS's KeyId takes). */
    private static final Pattern KMS_KEY = Pattern.compile("(?:" + KMS_ARN + "key/)?" + KEY_ID
            + "|(?:" + KMS_ARN + ")?alias/[A-Za-z0-9/_-]{1,250}");

    private final EndpointPolicy endpoints;

    public LocationRequests(EndpointPolicy endpoints) {
        this.endpoints = endpoints;
    }

    public Location toLocation(String project, LocationRequest r, Instant now) {
        String name = Names.requireLabel("name", r.name());
        if (r.provider() == null || r.provider().isEmpty()) {
            throw new InvalidInputException("provider", "is required (aws, minio, gcp or azure)");
        }
        Provider provider = Provider.fromWire(r.provider());
        if (provider == null) {
            throw new InvalidInputException("provider", "'" + r.provider() + "' is not one of aws, minio, gcp, azure");
        }
        refuseFieldsOf(provider, r);
        String prefix = prefix(r.prefix());
        Map<LocationField, String> f = new EnumMap<>(LocationField.class);
        String bucket = switch (provider) {
            case AWS -> aws(r, f);
            case MINIO -> minio(r, f);
            case GCP -> gcp(r, f);
            case AZURE -> azure(r, f);
        };
        encryption(r.encryption(), f);
        immutability(r.immutability(), f);
        snapshotMode(provider, r.snapshotMode(), f);
        return new Location(project, name, provider, bucket, prefix, f, LocationStatus.pending(), now);
    }

    /** {@code encryption: {kmsKeyId}}: a KMS key ID, key ARN, alias or alias ARN, not one of AWS's managed keys. */
    private static void encryption(LocationRequest.Encryption encryption, Map<LocationField, String> f) {
        if (encryption == null) {
            return;
        }
        String keyId = encryption.kmsKeyId();
        if (keyId == null || keyId.isEmpty()) {
            throw new InvalidInputException("encryption.kmsKeyId", "is required (a KMS key ID, key ARN, alias or alias ARN)");
        }
        if (!KMS_KEY.matcher(keyId).matches()) {
            throw new InvalidInputException("encryption.kmsKeyId", "must be a KMS key ID, key ARN, alias name "
                    + "(alias/...) or alias ARN");
        }
        if (keyId.contains("alias/aws/")) {
            throw new InvalidInputException("encryption.kmsKeyId", "names a key AWS manages for its own services, "
                    + "which cannot wrap Lifeboat's data keys: use a customer managed key");
        }
        f.put(LocationField.KMS_KEY_ID, keyId);
    }

    /** {@code immutability: {days, mode}}: 1 to 36,500 days, governance or compliance. */
    private static void immutability(LocationRequest.Immutability immutability, Map<LocationField, String> f) {
        if (immutability == null) {
            return;
        }
        if (immutability.days() == null) {
            throw new InvalidInputException("immutability.days", "is required (how many days each backup stays locked)");
        }
        if (immutability.days() < 1 || immutability.days() > Immutability.MAX_DAYS) {
            throw new InvalidInputException("immutability.days", "must be 1 to " + Immutability.MAX_DAYS);
        }
        if (immutability.mode() == null) {
            throw new InvalidInputException("immutability.mode", "is required (governance or compliance)");
        }
        if (Retention.Mode.fromWire(immutability.mode()) == null) {
            throw new InvalidInputException("immutability.mode", "must be governance or compliance");
        }
        f.put(LocationField.IMMUTABILITY_DAYS, String.valueOf(immutability.days()));
        f.put(LocationField.IMMUTABILITY_MODE, immutability.mode());
    }

    private String aws(LocationRequest r, Map<LocationField, String> f) {
        String bucket = s3Bucket(r.bucket());
        f.put(LocationField.REGION, require("region", r.region(), AWS_REGION, "an AWS region such as us-east-1"));
        if (r.credentials() != null && r.sts() != null) {
            throw new InvalidInputException("sts", "give either credentials or sts, not both");
        }
        if (r.credentials() == null && r.sts() == null) {
            throw new InvalidInputException("credentials", "is required (or sts, to assume a role)");
        }
        if (r.credentials() != null) {
            credentials(r.credentials(), f);
        } else {
            f.put(LocationField.ROLE_ARN, require("sts.roleArn", r.sts().roleArn(), ROLE_ARN,
                    "an IAM role ARN such as arn:aws:iam::123456789012:role/lifeboat"));
            if (r.sts().externalId() != null) {
                f.put(LocationField.EXTERNAL_ID, text("sts.externalId", r.sts().externalId(), 2, 1224));
            }
        }
        if (r.s3Url() != null) {
            f.put(LocationField.S3_URL, endpoints.requireUrl("s3Url", r.s3Url()));
        }
        f.put(LocationField.FORCE_PATH_STYLE, String.valueOf(Boolean.TRUE.equals(r.forcePathStyle())));
        return bucket;
    }

    private String minio(LocationRequest r, Map<LocationField, String> f) {
        String bucket = s3Bucket(r.bucket());
        f.put(LocationField.REGION, r.region() == null ? "us-east-1" : text("region", r.region(), 1, 64));
        if (r.s3Url() == null) {
            throw new InvalidInputException("s3Url", "is required for a minio location");
        }
        f.put(LocationField.S3_URL, endpoints.requireUrl("s3Url", r.s3Url()));
        f.put(LocationField.FORCE_PATH_STYLE, String.valueOf(r.forcePathStyle() == null || r.forcePathStyle()));
        if (r.caCertificate() != null) {
            f.put(LocationField.CA_CERTIFICATE, certificate(r.caCertificate()));
        }
        if (r.credentials() == null) {
            throw new InvalidInputException("credentials", "is required for a minio location");
        }
        credentials(r.credentials(), f);
        return bucket;
    }

    private String gcp(LocationRequest r, Map<LocationField, String> f) {
        String bucket = r.bucket();
        if (bucket == null || bucket.isEmpty()) {
            throw new InvalidInputException("bucket", "is required");
        }
        if (!GCS_BUCKET.matcher(bucket).matches()) {
            throw new InvalidInputException("bucket", "'" + bucket + "' is not a valid GCS bucket name");
        }
        if (r.jsonCredentials() == null || r.jsonCredentials().isBlank()) {
            throw new InvalidInputException("jsonCredentials", "is required (the service-account key, as JSON)");
        }
        JsonNode key;
        try {
            key = JSON.readTree(r.jsonCredentials());
        } catch (Exception e) {
            throw new InvalidInputException("jsonCredentials", "is not valid JSON");
        }
        if (key == null || !key.isObject() || !"service_account".equals(key.path("type").asText())) {
            throw new InvalidInputException("jsonCredentials", "must be a service-account key (\"type\": \"service_account\")");
        }
        for (String required : new String[]{"client_email", "private_key", "private_key_id"}) {
            if (key.path(required).asText().isEmpty()) {
                throw new InvalidInputException("jsonCredentials", "lacks \"" + required + "\"");
            }
        }
        if (key.hasNonNull("token_uri")) {
            endpoints.requireUrl("jsonCredentials.token_uri", key.get("token_uri").asText());
        }
        f.put(LocationField.JSON_CREDENTIALS, r.jsonCredentials());
        if (r.endpoint() != null) {
            f.put(LocationField.ENDPOINT, endpoints.requireUrl("endpoint", r.endpoint()));
        }
        return bucket;
    }

    private String azure(LocationRequest r, Map<LocationField, String> f) {
        String container = require("container", r.container(), AZURE_CONTAINER,
                "3-63 lower-case letters, digits and single hyphens");
        f.put(LocationField.STORAGE_ACCOUNT, require("storageAccount", r.storageAccount(), AZURE_ACCOUNT,
                "3-24 lower-case letters and digits"));
        if (r.sku() != null) {
            if (!AZURE_SKUS.contains(r.sku())) {
                throw new InvalidInputException("sku", "'" + r.sku() + "' is not one of " + String.join(", ", AZURE_SKUS.stream().sorted().toList()));
            }
            f.put(LocationField.SKU, r.sku());
        }
        f.put(LocationField.RESOURCE_GROUP, require("resourceGroup", r.resourceGroup(), RESOURCE_GROUP,
                "1-90 letters, digits, '_', '-', '.', '(' or ')'"));
        f.put(LocationField.TENANT_ID, require("tenantId", r.tenantId(), GUID, "a GUID"));
        f.put(LocationField.CLIENT_ID, require("clientId", r.clientId(), GUID, "a GUID"));
        f.put(LocationField.SUBSCRIPTION_ID, require("subscriptionId", r.subscriptionId(), GUID, "a GUID"));
        f.put(LocationField.CLIENT_SECRET, text("clientSecret", r.clientSecret(), 1, 1024));
        if (r.endpoint() != null) {
            f.put(LocationField.ENDPOINT, endpoints.requireUrl("endpoint", r.endpoint()));
        }
        if (r.authorityHost() != null) {
            f.put(LocationField.AUTHORITY_HOST, endpoints.requireUrl("authorityHost", r.authorityHost()));
        }
        return container;
    }

    /** csi (the default), native or auto; native and auto need a cloud whose disks the location's credentials reach. */
    private static void snapshotMode(Provider provider, String given, Map<LocationField, String> f) {
        if (given == null) {
            return;
        }
        SnapshotMode mode = SnapshotMode.fromWire(given);
        if (mode == null) {
            throw new InvalidInputException("snapshotMode", "'" + given + "' is not one of csi, native, auto");
        }
        if (mode != SnapshotMode.CSI && provider == Provider.MINIO) {
            throw new InvalidInputException("snapshotMode", "'" + given + "' needs a cloud's disks: an aws, azure or "
                    + "gcp location (a minio location reaches no disks)");
        }
        f.put(LocationField.SNAPSHOT_MODE, mode.wireName());
    }

    private static void credentials(LocationRequest.Credentials c, Map<LocationField, String> f) {
        f.put(LocationField.ACCESS_KEY_ID, text("credentials.accessKeyId", c.accessKeyId(), 3, 128));
        f.put(LocationField.SECRET_ACCESS_KEY, text("credentials.secretAccessKey", c.secretAccessKey(), 3, 256));
    }

    private static String s3Bucket(String bucket) {
        if (bucket == null || bucket.isEmpty()) {
            throw new InvalidInputException("bucket", "is required");
        }
        if (!S3_BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new InvalidInputException("bucket", "'" + bucket + "' is not a valid bucket name "
                    + "(3-63 lower-case letters, digits, '.' and '-')");
        }
        return bucket;
    }

    private static String prefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        if (prefix.startsWith("/") || prefix.contains("//") || prefix.length() > 512) {
            throw new InvalidInputException("prefix", "must be a relative path without empty segments, at most 512 characters");
        }
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        for (String segment : trimmed.split("/")) {
            if (segment.equals(".") || segment.equals("..") || segment.chars().anyMatch(ch -> ch < 0x20 || ch == '\\')) {
                throw new InvalidInputException("prefix", "must not contain '.', '..', backslashes or control characters");
            }
        }
        return trimmed;
    }

    private static String certificate(String pem) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new InvalidInputException("caCertificate", "must be a PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            var certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new InvalidInputException("caCertificate", "holds no certificate");
            }
        } catch (CertificateException e) {
            throw new InvalidInputException("caCertificate", "is not a readable PEM certificate");
        }
        return pem;
    }

    private static String require(String field, String value, Pattern pattern, String expected) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(field, "is required");
        }
        if (!pattern.matcher(value).matches()) {
            throw new InvalidInputException(field, "must be " + expected);
        }
        return value;
    }

    private static String text(String field, String value, int min, int max) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(field, "is required");
        }
        if (value.length() < min || value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(field, "must be " + min + "-" + max + " printable characters");
        }
        return value;
    }

    /** A field that belongs to another provider is a mistake worth naming, not something to ignore. */
    private static void refuseFieldsOf(Provider provider, LocationRequest r) {
        Map<String, Object> present = new LinkedHashMap<>();
        present.put("bucket", r.bucket());
        present.put("region", r.region());
        present.put("s3Url", r.s3Url());
        present.put("forcePathStyle", r.forcePathStyle());
        present.put("caCertificate", r.caCertificate());
        present.put("credentials", r.credentials());
        present.put("sts", r.sts());
        present.put("jsonCredentials", r.jsonCredentials());
        present.put("endpoint", r.endpoint());
        present.put("container", r.container());
        present.put("storageAccount", r.storageAccount());
        present.put("sku", r.sku());
        present.put("resourceGroup", r.resourceGroup());
        present.put("tenantId", r.tenantId());
        present.put("clientId", r.clientId());
        present.put("subscriptionId", r.subscriptionId());
        present.put("clientSecret", r.clientSecret());
        present.put("authorityHost", r.authorityHost());
        Set<String> allowed = switch (provider) {
            case AWS -> Set.of("bucket", "region", "credentials", "sts", "s3Url", "forcePathStyle");
            case MINIO -> Set.of("bucket", "region", "s3Url", "forcePathStyle", "caCertificate", "credentials");
            case GCP -> Set.of("bucket", "jsonCredentials", "endpoint");
            case AZURE -> Set.of("container", "storageAccount", "sku", "resourceGroup", "tenantId", "clientId",
                    "subscriptionId", "clientSecret", "endpoint", "authorityHost");
        };
        present.forEach((field, value) -> {
            if (value != null && !allowed.contains(field)) {
                throw new InvalidInputException(field, "is not a field of a " + provider.wireName() + " location");
            }
        });
    }
}

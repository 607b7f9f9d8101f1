package io.lifeboat.objectstore.azure;

import io.lifeboat.objectstore.Upload;
import io.lifeboat.secret.Redactor;

import java.io.InputStream;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobContainerProperties;
import com.azure.storage.blob.models.BlobImmutabilityPolicy;
import com.azure.storage.blob.models.BlobImmutabilityPolicyMode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import io.lifeboat.objectstore.Retention;
import io.lifeboat.objectstore.StoredVersion;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.lifeboat.location.Location;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.StoreException;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/** A container on Azure Blob Storage, through azure-storage-blob. */
public final class AzureBlobObjectStore implements ObjectStore {
    /** The most blobs Azure returns in one list page. */
    public static final int DEFAULT_PAGE_SIZE = 5000;
    private static final int UPLOAD_BLOCK_BYTES = 8 * 1024 * 1024;

    private final BlobContainerClient container;
    private final int pageSize;
    private final AzureFailures failures;

    public AzureBlobObjectStore(BlobContainerClient container) {
        this(container, DEFAULT_PAGE_SIZE, "https://login.microsoftonline.com", List.of());
    }

    /**
     * {@code authorityHost} names the token endpoint in messages; {@code secrets} are values to keep out of every
     * message, on top of never putting them there.
     */
    public AzureBlobObjectStore(BlobContainerClient container, int pageSize, String authorityHost,
                                Collection<String> secrets) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive: " + pageSize);
        }
        this.container = container;
        this.pageSize = pageSize;
        this.failures = new AzureFailures(container.getBlobContainerName(), container.getAccountUrl(), authorityHost,
                new Redactor(secrets));
    }

    /** The store of an Azure location, with its container client from {@code factory}. */
    public static AzureBlobObjectStore open(Location location, AzureContainerFactory factory) {
        return open(location, factory, DEFAULT_PAGE_SIZE);
    }

    public static AzureBlobObjectStore open(Location location, AzureContainerFactory factory, int pageSize) {
        return new AzureBlobObjectStore(factory.create(location), pageSize,
                ClientSecretContainerFactory.authorityHost(location), location.secretValues());
    }

    /** Lists at most one blob: that needs the same permission as a backup's listing, and no account-level one. */
    @Override
    public void checkBucket() {
        call("list blobs", AzureFailures.Target.CONTAINER, () -> container
                .listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1), null).iterableByPage().iterator().next());
    }

    @Override
    public void put(String key, byte[] content) {
        call("write " + key, AzureFailures.Target.CONTAINER, () -> {
            container.getBlobClient(key).upload(BinaryData.fromBytes(content), true);
            return null;
        });
    }

    @Override
    public byte[] get(String key) {
        return call("read " + key, AzureFailures.Target.BLOB,
                () -> container.getBlobClient(key).downloadContent().toBytes());
    }

    @Override
    public List<String> list(String prefix) {
        return call("list " + prefix, AzureFailures.Target.CONTAINER, () -> {
            List<String> keys = new ArrayList<>();
            for (BlobItem blob : container.listBlobs(new ListBlobsOptions().setPrefix(prefix)
                    .setMaxResultsPerPage(pageSize), null)) {
                keys.add(blob.getName());
            }
            keys.sort(null);
            return keys;
        });
    }

    /** Deleting a blob that is not there succeeds, as on S3; a missing container is still NoSuchBucket. */
    @Override
    public void delete(String key) {
        call("delete " + key, AzureFailures.Target.CONTAINER, () -> {
            try {
                container.getBlobClient(key).delete();
            } catch (BlobStorageException e) {
                if (!BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())) {
                    throw e;
                }
            }
            return null;
        });
    }

    /**
     * Blocks of 8 MiB, each sent with its MD5, which Azure checks, and committed as one list; see
     * {@link AzureBlockUpload}.
     */
    @Override
    public Upload upload(String key) {
        return upload(key, null);
    }

    /**
     * The container must support version-level immutability ({@code x-ms-immutable-storage-with-versioning-enabled}
     * on its properties), which is enabled on the container or its account, with versioning; otherwise, and where
     * the service does not implement it (Azurite answers 501), ImmutabilityNotEnabled.
     */
    @Override
    public void checkRetention() {
        BlobContainerProperties properties;
        try {
            properties = call("read the container's properties", AzureFailures.Target.CONTAINER,
                    container::getProperties);
        } catch (StoreException e) {
            if (e.getCause() instanceof BlobStorageException refused && refused.getStatusCode() == 501) {
                throw new StoreException(IMMUTABILITY_NOT_ENABLED, "the Blob service at " + container.getAccountUrl()
                        + " does not implement version-level immutability (HTTP 501)", e);
            }
            throw e;
        }
        if (!Boolean.TRUE.equals(properties.isImmutableStorageWithVersioningEnabled())) {
            throw new StoreException(IMMUTABILITY_NOT_ENABLED, "container " + container.getBlobContainerName()
                    + " does not have version-level immutability support enabled: blobs cannot be locked there (enable"
                    + " it on the container or the storage account, with blob versioning)");
        }
    }

    /** A Put Blob with {@code x-ms-immutability-policy-until-date} and {@code x-ms-immutability-policy-mode}. */
    @Override
    public void put(String key, byte[] content, Retention retention) {
        if (retention == null) {
            put(key, content);
            return;
        }
        call("write " + key, AzureFailures.Target.CONTAINER, () -> container.getBlobClient(key).getBlockBlobClient()
                .uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                        .setImmutabilityPolicy(policy(retention)), null, com.azure.core.util.Context.NONE));
    }

    /** As {@link #upload(String)}, the blob committed with the immutability policy. */
    @Override
    public Upload upload(String key, Retention retention) {
        return new AzureBlockUpload(container.getBlobClient(key).getBlockBlobClient(), key, UPLOAD_BLOCK_BYTES,
                (what, e) -> failures.translate(what, AzureFailures.Target.CONTAINER, e),
                retention == null ? null : policy(retention));
    }

    /**
     * Governance is an unlocked policy (one with the right permission may shorten or delete it), compliance a locked
     * one (it can only be extended).
     */
    static BlobImmutabilityPolicy policy(Retention retention) {
        return new BlobImmutabilityPolicy().setExpiryTime(retention.retainUntil().atOffset(ZoneOffset.UTC))
                .setPolicyMode(retention.mode() == Retention.Mode.COMPLIANCE ? BlobImmutabilityPolicyMode.LOCKED
                        : BlobImmutabilityPolicyMode.UNLOCKED);
    }

    /** Every version of the blobs under the prefix, each with its immutability policy's expiry (List Blobs). */
    @Override
    public List<StoredVersion> versions(String prefix) {
        return call("list the versions under " + prefix, AzureFailures.Target.CONTAINER, () -> {
            List<StoredVersion> versions = new ArrayList<>();
            for (BlobItem blob : container.listBlobs(new ListBlobsOptions().setPrefix(prefix).setMaxResultsPerPage(pageSize)
                    .setDetails(new BlobListDetails().setRetrieveVersions(true).setRetrieveImmutabilityPolicy(true)), null)) {
                BlobImmutabilityPolicy policy = blob.getProperties() == null ? null
                        : blob.getProperties().getImmutabilityPolicy();
                versions.add(new StoredVersion(blob.getName(), blob.getVersionId(),
                        policy == null || policy.getExpiryTime() == null ? null : policy.getExpiryTime().toInstant()));
            }
            versions.sort(Comparator.comparing(StoredVersion::key));
            return versions;
        });
    }

    /** Deletes one version by its ID (Azure refuses one whose policy has not expired; the engine never tries). */
    @Override
    public void deleteVersion(StoredVersion version) {
        if (version.versionId() == null) {
            delete(version.key());
            return;
        }
        call("delete " + version.key() + " (version " + version.versionId() + ")", AzureFailures.Target.BLOB, () -> {
            container.getBlobClient(version.key()).getVersionClient(version.versionId()).delete();
            return null;
        });
    }

    @Override
    public InputStream download(String key) {
        return call("read " + key, AzureFailures.Target.BLOB, () -> container.getBlobClient(key).openInputStream());
    }

    @Override
    public long size(String key) {
        return call("stat " + key, AzureFailures.Target.BLOB,
                () -> container.getBlobClient(key).getProperties().getBlobSize());
    }

    private <T> T call(String what, AzureFailures.Target target, Supplier<T> action) {
        try {
            return action.get();
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failures.translate(what, target, e);
        }
    }
}

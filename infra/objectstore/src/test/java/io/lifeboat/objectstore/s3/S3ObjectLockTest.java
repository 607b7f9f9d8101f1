package io.lifeboat.objectstore.s3;

import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.objectstore.Retention;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.StoredVersion;
import io.lifeboat.objectstore.Upload;
import io.lifeboat.objectstore.providers.ProviderObjectStoreFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Object Lock on S3, checked by the requests the real AWS SDK sends (s3proxy answers 501 to Object Lock): each locked
 * object's PutObject, or its CreateMultipartUpload, carries {@code x-amz-object-lock-mode} and
 * {@code x-amz-object-lock-retain-until-date} and a checksum (S3 takes no locked write without one); the validation
 * reads GetObjectLockConfiguration and says when the bucket has no Object Lock; deleting reads every version with its
 * retention and deletes a version by its ID. The stand-in answers with S3's own XML.
 */
class S3ObjectLockTest {
    private static final Instant UNTIL = Instant.parse("2027-01-05T06:30:00Z");
    private S3LockRecorder s3;
    private ObjectStore store;

    @BeforeEach
    void open() throws IOException {
        s3 = new S3LockRecorder();
        Map<LocationField, String> f = new EnumMap<>(LocationField.class);
        f.put(LocationField.REGION, "eu-central-1");
        f.put(LocationField.S3_URL, s3.url());
        f.put(LocationField.FORCE_PATH_STYLE, "true");
        f.put(LocationField.ACCESS_KEY_ID, "AKIDEXAMPLE");
        f.put(LocationField.SECRET_ACCESS_KEY, "secret");
        Location location = new Location("p", "locked", Provider.AWS, "locked", "team-a", f, LocationStatus.pending(),
                Instant.now());
        store = ProviderObjectStoreFactory.standard(S3Clients.StsAccess.defaults(), OutboundPolicy.localMode())
                .open(location);
    }

    @AfterEach
    void close() {
        store.close();
        s3.close();
    }

    private static String crc32(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        long v = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    private static void assertLocked(S3LockRecorder.Request request, String mode) {
        assertEquals(mode, request.header("x-amz-object-lock-mode"), request.headers().toString());
        assertEquals("2027-01-05T06:30:00Z", request.header("x-amz-object-lock-retain-until-date"));
    }

    @Test
    void aLockedPutCarriesTheModeTheDateAndAChecksumOfTheBytes() {
        byte[] content = "{\"kind\":\"Manifest\"}".getBytes(StandardCharsets.UTF_8);
        store.put("team-a/backups/b/lifeboat-encryption.json", content, new Retention(Retention.Mode.GOVERNANCE, UNTIL));

        assertEquals(1, s3.requests.size());
        S3LockRecorder.Request put = s3.requests.get(0);
        assertEquals("PUT", put.method());
        assertEquals("/locked/team-a/backups/b/lifeboat-encryption.json", put.path());
        assertLocked(put, "GOVERNANCE");
        assertArrayEquals(content, put.body());
        assertEquals(crc32(content), put.headerOrTrailer("x-amz-checksum-crc32"), put.headers() + " " + put.trailers());
        assertTrue(put.header("authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
        assertTrue(put.header("authorization").contains("x-amz-object-lock-mode;x-amz-object-lock-retain-until-date"),
                "the lock headers are signed: " + put.header("authorization"));
    }

    @Test
    void aPlainPutCarriesNoLock() {
        store.put("team-a/backups/b/b-logs.gz", new byte[]{1, 2, 3}, null);
        assertNull(s3.requests.get(0).header("x-amz-object-lock-mode"));
        assertNull(s3.requests.get(0).header("x-amz-object-lock-retain-until-date"));
    }

    @Test
    void aSmallLockedUploadIsOnePutWithTheLockAndItsCrc32() {
        byte[] content = "a small sidecar".getBytes(StandardCharsets.UTF_8);
        Upload upload = store.upload("team-a/backups/b/b-results.gz", new Retention(Retention.Mode.COMPLIANCE, UNTIL));
        upload.write(content, 0, content.length);
        upload.commit();

        assertEquals(List.of("PUT"), s3.requests.stream().map(S3LockRecorder.Request::method).toList());
        S3LockRecorder.Request put = s3.requests.get(0);
        assertLocked(put, "COMPLIANCE");
        assertEquals(crc32(content), put.headerOrTrailer("x-amz-checksum-crc32"));
        assertArrayEquals(content, put.body());
    }

    @Test
    void aLargeLockedUploadCreatesItsMultipartUploadWithTheLock() {
        byte[] content = new byte[S3MultipartUpload.PART_BYTES + 1000];
        new Random(3).nextBytes(content);
        Upload upload = store.upload("team-a/backups/b/b.tar.gz", new Retention(Retention.Mode.GOVERNANCE, UNTIL));
        upload.write(content, 0, content.length);
        upload.commit();

        S3LockRecorder.Request create = s3.requests.get(0);
        assertEquals("POST", create.method());
        assertTrue(create.query().containsKey("uploads"), create.query().toString());
        assertLocked(create, "GOVERNANCE");
        List<S3LockRecorder.Request> parts = s3.requests.stream().filter(r -> r.query().containsKey("partNumber")).toList();
        assertEquals(2, parts.size());
        for (S3LockRecorder.Request part : parts) {
            assertEquals("upload-1", part.query().get("uploadId"));
            assertNotNull(part.headerOrTrailer("x-amz-checksum-crc32"), "each part of a locked object has a checksum");
        }
        S3LockRecorder.Request complete = s3.requests.get(s3.requests.size() - 1);
        assertEquals("POST", complete.method());
        assertEquals("upload-1", complete.query().get("uploadId"));
        assertNull(complete.header("x-amz-object-lock-mode"), "the lock is the creation's; the completion repeats nothing");
    }

    @Test
    void theValidationAcceptsABucketWithObjectLockEnabled() {
        s3.answer = request -> request.query().containsKey("object-lock")
                ? new S3LockRecorder.Answer(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ObjectLockConfiguration "
                + "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
                + "</ObjectLockConfiguration>") : null;
        store.checkRetention();
        S3LockRecorder.Request get = s3.requests.get(0);
        assertEquals("GET", get.method());
        assertEquals("/locked", get.path().replaceFirst("/$", ""));
        assertEquals(Map.of("object-lock", ""), get.query());
    }

    @Test
    void theValidationSaysWhenTheBucketHasNoObjectLock() {
        s3.answer = request -> new S3LockRecorder.Answer(404, S3LockRecorder.error("ObjectLockConfigurationNotFoundError",
                "Object Lock configuration does not exist for this bucket"));
        StoreException refused = assertThrows(StoreException.class, store::checkRetention);
        assertEquals(ObjectStore.IMMUTABILITY_NOT_ENABLED, refused.reason());
        assertTrue(refused.getMessage().contains("bucket locked does not have Object Lock enabled"), refused.getMessage());

        s3.answer = request -> new S3LockRecorder.Answer(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ObjectLockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></ObjectLockConfiguration>");
        assertEquals(ObjectStore.IMMUTABILITY_NOT_ENABLED, assertThrows(StoreException.class, store::checkRetention).reason());
    }

    @Test
    void theValidationSaysWhenTheEndpointHasNoObjectLockAtAll() {
        s3.answer = request -> new S3LockRecorder.Answer(501, S3LockRecorder.error("NotImplemented",
                "A header you provided implies functionality that is not implemented"));
        StoreException refused = assertThrows(StoreException.class, store::checkRetention);
        assertEquals(ObjectStore.IMMUTABILITY_NOT_ENABLED, refused.reason());
        assertTrue(refused.getMessage().contains("does not implement Object Lock"), refused.getMessage());
    }

    @Test
    void versionsComeWithTheirRetentionAndAreDeletedByVersionId() {
        s3.answer = request -> {
            if (request.method().equals("GET") && request.query().containsKey("versions")) {
                return new S3LockRecorder.Answer(200, """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                          <Name>locked</Name><Prefix>team-a/backups/b/</Prefix><IsTruncated>false</IsTruncated>
                          <Version><Key>team-a/backups/b/b.tar.gz</Key><VersionId>v2</VersionId><IsLatest>true</IsLatest>
                            <LastModified>2026-12-06T06:00:00.000Z</LastModified><ETag>"x"</ETag><Size>10</Size></Version>
                          <Version><Key>team-a/backups/b/b.tar.gz</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest>
                            <LastModified>2026-12-05T06:00:00.000Z</LastModified><ETag>"y"</ETag><Size>10</Size></Version>
                          <DeleteMarker><Key>team-a/backups/b/b-logs.gz</Key><VersionId>m1</VersionId><IsLatest>true</IsLatest>
                            <LastModified>2026-12-06T06:00:00.000Z</LastModified></DeleteMarker>
                        </ListVersionsResult>""");
            }
            if (request.method().equals("GET") && request.query().containsKey("retention")) {
                return "v2".equals(request.query().get("versionId"))
                        ? new S3LockRecorder.Answer(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Retention "
                        + "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>GOVERNANCE</Mode><RetainUntilDate>"
                        + "2027-01-05T06:30:00.000Z</RetainUntilDate></Retention>")
                        : new S3LockRecorder.Answer(404, S3LockRecorder.error("NoSuchObjectLockConfiguration",
                        "The specified object does not have a ObjectLock configuration"));
            }
            return null;
        };

        List<StoredVersion> versions = store.versions("team-a/backups/b/");

        assertEquals(List.of(new StoredVersion("team-a/backups/b/b-logs.gz", "m1", null),
                new StoredVersion("team-a/backups/b/b.tar.gz", "v2", UNTIL),
                new StoredVersion("team-a/backups/b/b.tar.gz", "v1", null)), versions);
        assertEquals("team-a/backups/b/", s3.requests.get(0).query().get("prefix"));

        s3.requests.clear();
        store.deleteVersion(versions.get(2));
        S3LockRecorder.Request delete = s3.requests.get(0);
        assertEquals("DELETE", delete.method());
        assertEquals("/locked/team-a/backups/b/b.tar.gz", delete.path());
        assertEquals("v1", delete.query().get("versionId"));
        assertNull(delete.header("x-amz-bypass-governance-retention"), "a lock is never bypassed");
    }

    @Test
    void aLockedVersionThatS3RefusesToDeleteIsAStoreFailureNamingIt() {
        s3.answer = request -> request.method().equals("DELETE") ? new S3LockRecorder.Answer(403,
                S3LockRecorder.error("AccessDenied", "Access Denied because object protected by object lock.")) : null;
        StoreException refused = assertThrows(StoreException.class,
                () -> store.deleteVersion(new StoredVersion("team-a/backups/b/b.tar.gz", "v2", UNTIL)));
        assertEquals("AccessDenied", refused.reason());
        assertTrue(refused.getMessage().contains("version v2"), refused.getMessage());
    }
}

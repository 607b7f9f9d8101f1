package io.lifeboat.location;

import io.lifeboat.error.ConflictException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which locations hold the same part of a bucket; the in-memory repository refuses the second. */
class BucketClaimTest {
    static Location minio(String project, String name, String url, String bucket, String prefix) {
        return new Location(project, name, Provider.MINIO, bucket, prefix, Map.of(LocationField.S3_URL, url,
                LocationField.REGION, "us-east-1"), LocationStatus.pending(), Instant.EPOCH);
    }

    static Location aws(String project, String name, String s3Url, String region, String bucket, String prefix) {
        Map<LocationField, String> f = new EnumMap<>(LocationField.class);
        f.put(LocationField.REGION, region);
        if (s3Url != null) {
            f.put(LocationField.S3_URL, s3Url);
        }
        return new Location(project, name, Provider.AWS, bucket, prefix, f, LocationStatus.pending(), Instant.EPOCH);
    }

    /** Project A holds "team-a" of bucket backups; what project B then tries, and the field of the 409 (or "allowed"). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "team-a          | prefix",
            "team-a/         | prefix",
            "team-a/x        | prefix",
            "team-a/x/y      | prefix",
            "''              | prefix",
            "team            | allowed",
            "team-a2         | allowed",
            "team-a-x        | allowed",
            "Team-A          | allowed",
            "team-b          | allowed",
    })
    void nestedByPathSegments(String prefix, String answer) {
        InMemoryLocationRepository locations = new InMemoryLocationRepository();
        locations.create(minio("a", "store", "http://127.0.0.1:9000", "backups", "team-a"));
        Location attempt = minio("b", "store", "http://127.0.0.1:9000", "backups", prefix);
        if (answer.equals("allowed")) {
            locations.create(attempt);
            assertEquals(2, locations.listAll().size());
        } else {
            ConflictException e = assertThrows(ConflictException.class, () -> locations.create(attempt));
            assertEquals(answer, e.field());
            assertFalse(e.getMessage().contains("'a'"), "the other project is not named: " + e.getMessage());
            assertEquals(1, locations.listAll().size(), "nothing written");
        }
    }

    @Test
    void aLocationHoldingTheWholeBucketTakesItAllAndTheAnswerNamesTheBucket() {
        InMemoryLocationRepository locations = new InMemoryLocationRepository();
        locations.create(minio("a", "all", "http://127.0.0.1:9000", "backups", ""));
        ConflictException e = assertThrows(ConflictException.class,
                () -> locations.create(minio("b", "mine", "http://127.0.0.1:9000", "backups", "team-b")));
        assertEquals("bucket", e.field());
        locations.create(minio("b", "other-bucket", "http://127.0.0.1:9000", "backups-b", ""));
        locations.create(minio("b", "other-store", "http://127.0.0.1:9001", "backups", ""));
    }

    @Test
    void theSameProjectGetsNoSecondLocationOnItsOwnPrefixEitherAndADeleteReleasesIt() {
        InMemoryLocationRepository locations = new InMemoryLocationRepository();
        locations.create(minio("a", "first", "http://127.0.0.1:9000", "backups", "team-a"));
        assertEquals("prefix", assertThrows(ConflictException.class, () -> locations.create(
                minio("a", "second", "http://127.0.0.1:9000", "backups", "team-a/nested"))).field());
        assertEquals("name", assertThrows(ConflictException.class, () -> locations.create(
                minio("a", "first", "http://127.0.0.1:9000", "backups", "team-a"))).field());
        assertTrue(locations.delete("a", "first"));
        locations.create(minio("b", "now-mine", "http://127.0.0.1:9000", "backups", "team-a"));
    }

    /** Spellings of one endpoint are one store; an attacker cannot dodge the claim by writing the URL differently. */
    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:9000, HTTP://127.0.0.1:9000/",
            "http://minio.example:80, http://MINIO.example.",
            "https://minio.example, https://minio.example:443//",
            "https://s3.eu-west-1.amazonaws.com, https://s3.amazonaws.com",
            "https://backups.s3.us-east-1.amazonaws.com, https://s3-fips.us-east-2.amazonaws.com.",
    })
    void spellingsOfOneEndpointAreOneStore(String one, String other) {
        assertEquals(BucketClaim.of(minio("a", "x", one, "backups", "p")).store(),
                BucketClaim.of(minio("b", "y", other, "backups", "p")).store());
    }

    @Test
    void everyAwsEndpointIsOneStoreWhateverTheProviderOrRegion() {
        BucketClaim plain = BucketClaim.of(aws("a", "x", null, "eu-west-1", "backups", "team-a"));
        assertTrue(plain.overlaps(BucketClaim.of(aws("b", "y", null, "us-east-1", "backups", "team-a/x"))));
        assertTrue(plain.overlaps(BucketClaim.of(aws("b", "y", "https://s3.us-west-2.amazonaws.com", "us-west-2",
                "backups", ""))));
        assertTrue(plain.overlaps(BucketClaim.of(minio("b", "y", "https://s3.amazonaws.com", "backups", "team-a"))));
        assertFalse(plain.overlaps(BucketClaim.of(aws("b", "y", null, "cn-north-1", "backups", "team-a"))),
                "China is another partition, with its own bucket names");
        assertFalse(plain.overlaps(BucketClaim.of(minio("b", "y", "http://127.0.0.1:9000", "backups", "team-a"))));
    }

    @Test
    void gcsAndAzureStoresAreTheirOwn() {
        Location gcs = new Location("a", "g", Provider.GCP, "backups", "p", Map.of(), LocationStatus.pending(), Instant.EPOCH);
        Location azure = new Location("a", "z", Provider.AZURE, "backups", "p", Map.of(LocationField.STORAGE_ACCOUNT,
                "acct1"), LocationStatus.pending(), Instant.EPOCH);
        Location otherAccount = new Location("b", "z", Provider.AZURE, "backups", "p", Map.of(LocationField.STORAGE_ACCOUNT,
                "acct2"), LocationStatus.pending(), Instant.EPOCH);
        assertFalse(BucketClaim.of(gcs).overlaps(BucketClaim.of(azure)));
        assertFalse(BucketClaim.of(azure).overlaps(BucketClaim.of(otherAccount)));
        assertTrue(BucketClaim.of(azure).overlaps(BucketClaim.of(new Location("b", "z2", Provider.AZURE, "backups", "",
                Map.of(LocationField.STORAGE_ACCOUNT, "acct1"), LocationStatus.pending(), Instant.EPOCH))));
    }
}

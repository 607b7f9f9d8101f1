package io.lifeboat.location;

import io.lifeboat.encryption.BackupKeys;
import io.lifeboat.encryption.InMemoryKeyWrapper;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.input.EndpointPolicy;
import io.lifeboat.input.JsonInput;
import io.lifeboat.objectstore.InMemoryObjectStore;
import io.lifeboat.objectstore.Retention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A location's {@code encryption} and {@code immutability}: checked field by field when it is created, and for real
 * when it is validated (the KMS key must make and unwrap a data key; the bucket must be able to lock objects).
 */
class ProtectedLocationTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String BASE = "\"name\":\"x\",\"provider\":\"minio\",\"bucket\":\"b-1\",\"s3Url\":\"http://127.0.0.1:9000\","
            + "\"credentials\":{\"accessKeyId\":\"abc\",\"secretAccessKey\":\"def\"}";
    final LocationRequests requests = new LocationRequests(new EndpointPolicy(true));
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final InMemoryObjectStore store = new InMemoryObjectStore();
    final InMemoryKeyWrapper kms = new InMemoryKeyWrapper();
    final LocationProbe probe = new LocationProbe(l -> store, clock, new BackupKeys(kms, BackupKeys.DEFAULT_CHUNK_BYTES));

    Location parse(String extra) {
        return requests.toLocation("p", JsonInput.read("{" + BASE + "," + extra + "}", LocationRequest.class), NOW);
    }

    @Test
    void bothAreKeptAsPlainSettings() {
        Location l = parse("\"encryption\":{\"kmsKeyId\":\"alias/lifeboat-backups\"},"
                + "\"immutability\":{\"days\":30,\"mode\":\"compliance\"}");
        assertEquals("alias/lifeboat-backups", l.kmsKeyId());
        assertEquals(new Immutability(30, Retention.Mode.COMPLIANCE), l.immutability());
        assertFalse(LocationField.KMS_KEY_ID.secret());
        assertEquals("alias/lifeboat-backups", l.withoutSecrets().kmsKeyId());
        assertNull(l.withoutSecrets().field(LocationField.SECRET_ACCESS_KEY));
        assertEquals(new Retention(Retention.Mode.COMPLIANCE, NOW.plusSeconds(30 * 86400)), l.immutability().retentionFrom(NOW));
        Location none = parse("\"region\":\"us-east-1\"");
        assertNull(none.kmsKeyId());
        assertNull(none.immutability());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab",
            "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
            "alias/ExampleAlias", "arn:aws:kms:us-east-2:111122223333:alias/team_a/backups"})
    void everySpellingOfAKmsKeyIsTaken(String keyId) {
        assertEquals(keyId, parse("\"encryption\":{\"kmsKeyId\":\"" + keyId + "\"}").kmsKeyId());
    }

    /** Each bad value is a 400 naming its field, and nothing is stored. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no key id                 | encryption.kmsKeyId  | "encryption":{}
            empty key id              | encryption.kmsKeyId  | "encryption":{"kmsKeyId":""}
            not a key                 | encryption.kmsKeyId  | "encryption":{"kmsKeyId":"my key"}
            an s3 arn                 | encryption.kmsKeyId  | "encryption":{"kmsKeyId":"arn:aws:s3:::bucket"}
            aws managed               | encryption.kmsKeyId  | "encryption":{"kmsKeyId":"alias/aws/s3"}
            number key                | encryption.kmsKeyId  | "encryption":{"kmsKeyId":7}
            unknown encryption field  | encryption.algorithm | "encryption":{"kmsKeyId":"alias/a","algorithm":"DES"}
            encryption not an object  | encryption           | "encryption":"alias/a"
            no days                   | immutability.days    | "immutability":{"mode":"governance"}
            zero days                 | immutability.days    | "immutability":{"days":0,"mode":"governance"}
            negative days             | immutability.days    | "immutability":{"days":-3,"mode":"governance"}
            too many days             | immutability.days    | "immutability":{"days":36501,"mode":"governance"}
            days as text              | immutability.days    | "immutability":{"days":"30","mode":"governance"}
            fractional days           | immutability.days    | "immutability":{"days":1.5,"mode":"governance"}
            no mode                   | immutability.mode    | "immutability":{"days":30}
            unknown mode              | immutability.mode    | "immutability":{"days":30,"mode":"legal-hold"}
            upper-case mode           | immutability.mode    | "immutability":{"days":30,"mode":"COMPLIANCE"}
            unknown immutability field | immutability.years  | "immutability":{"days":30,"mode":"compliance","years":1}
            """)
    void badInputNamesTheField(String label, String field, String extra) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(extra));
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void anImmutableLocationOnABucketThatCannotLockIsUnavailableAndSaysWhy() {
        Location l = parse("\"immutability\":{\"days\":30,\"mode\":\"governance\"}");
        LocationStatus status = probe.probe(l);
        assertEquals(LocationStatus.Phase.Unavailable, status.phase());
        assertEquals(LocationStatus.Reason.ImmutabilityNotEnabled, status.reason());
        assertTrue(status.message().contains("no object lock"), status.message());
        assertTrue(store.objects().isEmpty(), "the probe object is deleted all the same");

        store.enableLocking(clock);
        assertEquals(LocationStatus.Phase.Available, probe.probe(l).phase());
        assertTrue(store.locks().isEmpty(), "the probe object is never locked");
    }

    @Test
    void anEncryptedLocationWhoseKeyCannotBeUsedIsUnavailableAndSaysWhy() {
        Location l = parse("\"encryption\":{\"kmsKeyId\":\"alias/denied\"}");
        kms.refuse("alias/denied");
        LocationStatus status = probe.probe(l);
        assertEquals(LocationStatus.Reason.KeyNotUsable, status.reason());
        assertTrue(status.message().contains("alias/denied") && status.message().contains("AccessDenied"), status.message());

        Location good = parse("\"encryption\":{\"kmsKeyId\":\"alias/good\"}");
        assertEquals(LocationStatus.Phase.Available, probe.probe(good).phase());
        assertEquals(java.util.List.of("generate alias/denied probe/p/x", "generate alias/good probe/p/x",
                "unwrap alias/good probe/p/x"), kms.calls());
        LocationStatus unconfigured = new LocationProbe(x -> store, clock).probe(good);
        assertEquals(LocationStatus.Reason.KeyNotUsable, unconfigured.reason());
        assertTrue(unconfigured.message().contains("KeyNotConfigured"), unconfigured.message());
    }
}

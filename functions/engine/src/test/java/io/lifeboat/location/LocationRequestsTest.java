package io.lifeboat.location;

import io.lifeboat.error.InvalidInputException;
import io.lifeboat.input.EndpointPolicy;
import io.lifeboat.input.JsonInput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocationRequestsTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final LocationRequests production = new LocationRequests(EndpointPolicy.production());
    private final LocationRequests local = new LocationRequests(new EndpointPolicy(true));

    private Location parse(LocationRequests requests, String json) {
        return requests.toLocation("default", JsonInput.read(json, LocationRequest.class), NOW);
    }

    @Test
    void minioLocationKeepsItsSettingsAndSecrets() {
        Location l = parse(local, """
                {"name":"local","provider":"minio","bucket":"backups","prefix":"team-a/","s3Url":"http://127.0.0.1:9000",
                 "credentials":{"accessKeyId":"AKIDEXAMPLE","secretAccessKey":"wJalrXUtnFEMI"}}""");
        assertEquals(Provider.MINIO, l.provider());
        assertEquals("team-a", l.prefix());
        assertEquals("us-east-1", l.field(LocationField.REGION));
        assertTrue(l.flag(LocationField.FORCE_PATH_STYLE));
        assertEquals("wJalrXUtnFEMI", l.field(LocationField.SECRET_ACCESS_KEY));
        assertEquals(LocationStatus.Phase.Pending, l.status().phase());
    }

    @Test
    void awsLocationWithStsRole() {
        Location l = parse(production, """
                {"name":"prod","provider":"aws","bucket":"my-backups","region":"eu-west-1",
                 "sts":{"roleArn":"arn:aws:iam::123456789012:role/lifeboat","externalId":"ext-123"}}""");
        assertEquals("arn:aws:iam::123456789012:role/lifeboat", l.field(LocationField.ROLE_ARN));
        assertEquals("ext-123", l.field(LocationField.EXTERNAL_ID));
        assertEquals("false", l.field(LocationField.FORCE_PATH_STYLE));
    }

    @Test
    void snapshotModeIsCsiUnlessSaid() {
        Location csi = parse(production, """
                {"name":"prod","provider":"aws","bucket":"my-backups","region":"eu-west-1",
                 "sts":{"roleArn":"arn:aws:iam::123456789012:role/lifeboat"}}""");
        assertEquals(SnapshotMode.CSI, csi.snapshotMode());
        assertEquals(null, csi.field(LocationField.SNAPSHOT_MODE));
        Location auto = parse(production, """
                {"name":"prod","provider":"aws","bucket":"my-backups","region":"eu-west-1",
                 "sts":{"roleArn":"arn:aws:iam::123456789012:role/lifeboat"},"snapshotMode":"auto"}""");
        assertEquals(SnapshotMode.AUTO, auto.snapshotMode());
        assertEquals("auto", auto.field(LocationField.SNAPSHOT_MODE));
        Location minio = parse(local, """
                {"name":"local","provider":"minio","bucket":"backups","s3Url":"http://127.0.0.1:9000",
                 "credentials":{"accessKeyId":"AKIDEXAMPLE","secretAccessKey":"wJalrXUtnFEMI"},"snapshotMode":"csi"}""");
        assertEquals(SnapshotMode.CSI, minio.snapshotMode());
    }

    /** Each malformed request names the field at fault. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing name            | name            | {"provider":"minio"}
            upper-case name         | name            | {"name":"Local","provider":"minio"}
            name too long           | name            | {"name":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","provider":"minio"}
            unknown provider        | provider        | {"name":"x","provider":"dropbox"}
            missing provider        | provider        | {"name":"x"}
            missing bucket          | bucket          | {"name":"x","provider":"minio","s3Url":"http://127.0.0.1:9000"}
            bad bucket              | bucket          | {"name":"x","provider":"aws","bucket":"Bad_Bucket","region":"us-east-1"}
            aws without region      | region          | {"name":"x","provider":"aws","bucket":"b-1"}
            aws bad region          | region          | {"name":"x","provider":"aws","bucket":"b-1","region":"mars"}
            aws without credentials | credentials     | {"name":"x","provider":"aws","bucket":"b-1","region":"us-east-1"}
            aws both                | sts             | {"name":"x","provider":"aws","bucket":"b-1","region":"us-east-1","credentials":{"accessKeyId":"abc","secretAccessKey":"def"},"sts":{"roleArn":"arn:aws:iam::123456789012:role/r"}}
            aws bad role            | sts.roleArn     | {"name":"x","provider":"aws","bucket":"b-1","region":"us-east-1","sts":{"roleArn":"role/r"}}
            missing secret key      | credentials.secretAccessKey | {"name":"x","provider":"minio","bucket":"b-1","s3Url":"http://127.0.0.1:9000","credentials":{"accessKeyId":"abc"}}
            minio without url       | s3Url           | {"name":"x","provider":"minio","bucket":"b-1"}
            url not http            | s3Url           | {"name":"x","provider":"minio","bucket":"b-1","s3Url":"ftp://h/"}
            metadata endpoint       | s3Url           | {"name":"x","provider":"minio","bucket":"b-1","s3Url":"http://169.254.169.254/latest"}
            bad ca                  | caCertificate   | {"name":"x","provider":"minio","bucket":"b-1","s3Url":"http://127.0.0.1:9000","caCertificate":"-----BEGIN CERTIFICATE-----\\nnope\\n-----END CERTIFICATE-----","credentials":{"accessKeyId":"abc","secretAccessKey":"def"}}
            field of other provider | container       | {"name":"x","provider":"minio","container":"c"}
            gcp key not json        | jsonCredentials | {"name":"x","provider":"gcp","bucket":"b-1","jsonCredentials":"{nope"}
            gcp key wrong type      | jsonCredentials | {"name":"x","provider":"gcp","bucket":"b-1","jsonCredentials":"{\\"type\\":\\"authorized_user\\"}"}
            azure bad tenant        | tenantId        | {"name":"x","provider":"azure","container":"c-1","storageAccount":"acct1","resourceGroup":"rg","tenantId":"nope"}
            azure bad sku           | sku             | {"name":"x","provider":"azure","container":"c-1","storageAccount":"acct1","sku":"Cheap"}
            azure bad account       | storageAccount  | {"name":"x","provider":"azure","container":"c-1","storageAccount":"Has-Dash"}
            prefix with dotdot      | prefix          | {"name":"x","provider":"minio","bucket":"b-1","prefix":"a/../b"}
            unknown field           | colour          | {"name":"x","provider":"minio","colour":"red"}
            wrong type              | forcePathStyle  | {"name":"x","provider":"minio","forcePathStyle":"yes"}
            not json                | body            | {"name":
            unknown snapshot mode   | snapshotMode    | {"name":"x","provider":"aws","bucket":"b-1","region":"us-east-1","credentials":{"accessKeyId":"abc","secretAccessKey":"def"},"snapshotMode":"ebs"}
            native on minio         | snapshotMode    | {"name":"x","provider":"minio","bucket":"b-1","s3Url":"http://127.0.0.1:9000","credentials":{"accessKeyId":"abc","secretAccessKey":"def"},"snapshotMode":"native"}
            """)
    void malformedRequestNamesTheField(String label, String field, String json) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(local, json));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
    }

    @Test
    void loopbackIsRefusedInProductionAndAllowedLocally() {
        String json = """
                {"name":"x","provider":"minio","bucket":"b-1","s3Url":"http://127.0.0.1:9000",
                 "credentials":{"accessKeyId":"abc","secretAccessKey":"def"}}""";
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(production, json));
        assertEquals("s3Url", e.field());
        assertEquals("http://127.0.0.1:9000", parse(local, json).field(LocationField.S3_URL));
    }

    @Test
    void gcpTokenUriIsCheckedLikeAnyEndpoint() {
        String key = "{\\\"type\\\":\\\"service_account\\\",\\\"client_email\\\":\\\"a@b.iam.gserviceaccount.com\\\","
                + "\\\"private_key\\\":\\\"k\\\",\\\"private_key_id\\\":\\\"1\\\",\\\"token_uri\\\":\\\"http://169.254.169.254/token\\\"}";
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(local,
                "{\"name\":\"g\",\"provider\":\"gcp\",\"bucket\":\"b-1\",\"jsonCredentials\":\"" + key + "\"}"));
        assertEquals("jsonCredentials.token_uri", e.field());
    }
}

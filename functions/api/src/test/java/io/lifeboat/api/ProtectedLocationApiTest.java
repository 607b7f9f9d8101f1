package io.lifeboat.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Locations that encrypt and lock, through the API: each field is checked (a 400 naming it, and nothing written), the
 * answer shows what was asked, and a store that cannot lock objects makes an immutable location Unavailable, saying
 * so (s3proxy answers 501 to Object Lock, the real SDK's GetObjectLockConfiguration included).
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class ProtectedLocationApiTest {
    private static final String P = "/v1/projects/protected";

    private static String body(String name, String extra) {
        return """
                {"name":"%s","provider":"aws","bucket":"backups","prefix":"%s","region":"us-east-1","s3Url":"%s",
                 "forcePathStyle":true,"credentials":{"accessKeyId":"%s","secretAccessKey":"%s"}%s}"""
                .formatted(name, name, LocalServers.s3.url(), LocalServers.s3.accessKey(), LocalServers.s3.secretKey(),
                        extra);
    }

    @Test
    void eachBadFieldIsA400NamingItAndNothingIsWritten() {
        String[][] cases = {
                {",\"immutability\":{\"days\":30,\"mode\":\"forever\"}", "immutability.mode"},
                {",\"immutability\":{\"days\":0,\"mode\":\"governance\"}", "immutability.days"},
                {",\"immutability\":{\"mode\":\"governance\"}", "immutability.days"},
                {",\"encryption\":{\"kmsKeyId\":\"not a key\"}", "encryption.kmsKeyId"},
                {",\"encryption\":{\"kmsKeyId\":\"alias/aws/s3\"}", "encryption.kmsKeyId"},
                {",\"encryption\":{}", "encryption.kmsKeyId"}};
        int i = 0;
        for (String[] bad : cases) {
            String name = "bad-" + i++;
            given().contentType(ContentType.JSON).body(body(name, bad[0])).post(P + "/locations").then()
                    .statusCode(400).body("error.field", equalTo(bad[1]));
            given().get(P + "/locations/" + name).then().statusCode(404);
        }
    }

    @Test
    void anImmutableLocationOnAStoreWithoutObjectLockIsUnavailableSayingSo() {
        given().contentType(ContentType.JSON).body(body("locked", ",\"immutability\":{\"days\":30,\"mode\":\"compliance\"}"))
                .post(P + "/locations").then().statusCode(201)
                .body("spec.immutability.days", equalTo(30))
                .body("spec.immutability.mode", equalTo("compliance"))
                .body("status.phase", equalTo("Unavailable"))
                .body("status.reason", equalTo("ImmutabilityNotEnabled"))
                .body("status.message", containsString("does not implement Object Lock"));
    }

    @Test
    void anEncryptedLocationWhoseKeyWorksIsAvailableAndShowsItsKey() {
        given().contentType(ContentType.JSON).body(body("sealed", ",\"encryption\":{\"kmsKeyId\":\"alias/lifeboat-local\"}"))
                .post(P + "/locations").then().statusCode(201)
                .body("spec.encryption.kmsKeyId", equalTo("alias/lifeboat-local"))
                .body("status.phase", equalTo("Available"));
    }
}

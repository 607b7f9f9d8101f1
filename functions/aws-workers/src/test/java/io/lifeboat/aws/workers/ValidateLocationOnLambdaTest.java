package io.lifeboat.aws.workers;

import io.lifeboat.api.LocalServers;
import io.lifeboat.input.JsonInput;
import io.lifeboat.location.LocationRequest;
import io.lifeboat.location.LocationService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/**
 * The worker zip through Funqy's Lambda handler and Quarkus's mock event server. quarkus.funqy.export picks the
 * function, as QUARKUS_FUNQY_EXPORT does in AWS; validate-location is this application's default.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class ValidateLocationOnLambdaTest {
    @Inject
    LocationService locations;

    @Test
    void theScheduleValidatesEveryLocationAndTheApiOneByName() {
        locations.create("team-w", JsonInput.read("""
                {"name":"primary","provider":"minio","bucket":"backups","s3Url":"%s",
                 "credentials":{"accessKeyId":"%s","secretAccessKey":"%s"}}"""
                .formatted(LocalServers.s3.url(), LocalServers.s3.accessKey(), LocalServers.s3.secretKey()),
                LocationRequest.class));

        given().contentType("application/json").body(ScheduledEvent.JSON).post()
                .then().statusCode(200)
                .body("validated", equalTo("all"))
                .body("available", greaterThanOrEqualTo(1));

        given().contentType("application/json").body(Map.of("project", "team-w", "name", "primary")).post()
                .then().statusCode(200)
                .body("name", equalTo("primary"))
                .body("status.phase", equalTo("Available"));
    }
}

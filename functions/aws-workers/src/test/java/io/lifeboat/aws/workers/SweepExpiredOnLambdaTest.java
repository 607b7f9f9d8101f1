package io.lifeboat.aws.workers;

import io.lifeboat.api.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;

/** sweep-expired as EventBridge starts it every hour. */
@QuarkusTest
@TestProfile(SweepExpiredOnLambdaTest.Export.class)
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class SweepExpiredOnLambdaTest {
    public static class Export implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "sweep-expired");
        }
    }

    @Test
    void theHourlySweepTakesTheScheduledEventAndSaysWhatItDid() {
        given().contentType("application/json").body(ScheduledEvent.JSON).post()
                .then().statusCode(200)
                .body("deleted", hasSize(0))
                .body("stillDeleting", hasSize(0))
                .body("interrupted", hasSize(0));
    }
}

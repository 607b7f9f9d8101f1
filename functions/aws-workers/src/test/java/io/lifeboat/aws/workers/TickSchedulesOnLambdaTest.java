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

/** tick-schedules as EventBridge starts it every minute. */
@QuarkusTest
@TestProfile(TickSchedulesOnLambdaTest.Export.class)
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class TickSchedulesOnLambdaTest {
    public static class Export implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "tick-schedules");
        }
    }

    @Test
    void theMinuteTickTakesTheScheduledEventAndFindsNothingDue() {
        given().contentType("application/json").body(ScheduledEvent.JSON).post()
                .then().statusCode(200)
                .body("started", hasSize(0));
    }
}

package io.lifeboat.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** /q/health: the process is alive, and ready once DynamoDB (here DynamoDB Local) answers for its tables. */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class HealthTest {
    @Test
    void liveAndReadyWithDynamoDb() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("dynamodb"))
                .body("checks.find { it.name == 'dynamodb' }.data.status", equalTo("ACTIVE"));
        given().get("/q/health").then().statusCode(200).body("checks.name", hasItem("dynamodb"));
    }
}

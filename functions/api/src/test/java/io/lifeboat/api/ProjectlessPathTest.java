package io.lifeboat.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The access check fails closed: a resource whose path names no project is refused even to a caller of every project. */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class ProjectlessPathTest {
    /** A resource that forgot {project}: exists in the tests only. */
    @Path("/v1/projectless")
    public static class ProjectlessResource {
        @GET
        public String get() {
            return "should not be reached";
        }
    }

    @Test
    void aPathWithoutAProjectIsRefused() {
        given().get("/v1/projectless").then().statusCode(403)
                .body("error.code", equalTo("Forbidden"))
                .body("error.message", equalTo("this path names no project"));
    }
}

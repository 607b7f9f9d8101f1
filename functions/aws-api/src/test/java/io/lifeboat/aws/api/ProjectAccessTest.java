package io.lifeboat.aws.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.api.LocalServers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may use which project, through the real Lambda handler: each request is an API Gateway (HTTP API, payload 2.0)
 * event with the claims a JWT authorizer passes, posted to Quarkus's Lambda mock event server.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class ProjectAccessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "[team-a team-c]";
    private static final String BOB = "[team-b]";

    record Answer(int status, JsonNode body) {
        String errorCode() {
            return body.path("error").path("code").asText();
        }
    }

    @BeforeEach
    void aliceHasALocationInTeamA() {
        if (call(ALICE, "GET", "/v1/projects/team-a/locations/primary", null).status() == 404) {
            Answer created = call(ALICE, "POST", "/v1/projects/team-a/locations", location("primary"));
            assertEquals(201, created.status(), created.body().toString());
        }
    }

    @Test
    void aCallerOfProjectBCannotReadProjectA() {
        Answer list = call(BOB, "GET", "/v1/projects/team-a/locations", null);
        assertEquals(403, list.status());
        assertEquals("Forbidden", list.errorCode());
        assertEquals("project", list.body().path("error").path("field").asText());
        assertFalse(list.body().toString().contains("primary"), list.body().toString());

        assertEquals(403, call(BOB, "GET", "/v1/projects/team-a/locations/primary", null).status());
        assertEquals(403, call(BOB, "GET", "/v1/projects/team-a/backups", null).status());
        assertEquals(403, call(BOB, "GET", "/v1/projects/team-a/restores?cluster=any", null).status());
    }

    @Test
    void aCallerOfProjectBCannotChangeProjectA() {
        assertEquals(403, call(BOB, "POST", "/v1/projects/team-a/locations", location("intruder")).status());
        assertEquals(403, call(BOB, "DELETE", "/v1/projects/team-a/locations/primary", null).status());
        assertEquals(403, call(BOB, "POST", "/v1/projects/team-a/locations/primary/validate", null).status());
        assertEquals(403, call(BOB, "POST", "/v1/projects/team-a/schedules",
                "{\"name\":\"nightly\",\"cluster\":\"c\",\"location\":\"primary\",\"preset\":\"weekly\"}").status());

        Answer list = call(ALICE, "GET", "/v1/projects/team-a/locations", null);
        assertEquals(200, list.status());
        assertEquals(List.of("primary"), names(list.body()));
        assertEquals(200, call(ALICE, "GET", "/v1/projects/team-a/locations/primary", null).status());
    }

    @Test
    void eachCallerSeesOnlyItsOwnProjects() {
        Answer bobsOwn = call(BOB, "GET", "/v1/projects/team-b/locations", null);
        assertEquals(200, bobsOwn.status());
        assertEquals(List.of(), names(bobsOwn.body()));

        assertEquals(200, call(ALICE, "GET", "/v1/projects/team-c/locations", null).status());
        assertEquals(403, call(ALICE, "GET", "/v1/projects/team-b/locations", null).status());
    }

    @Test
    void noIdentityIsRefusedAndAnEmptyClaimGrantsNothing() {
        Answer anonymous = call(null, "GET", "/v1/projects/team-a/locations", null);
        assertEquals(401, anonymous.status());
        assertEquals("Unauthorized", anonymous.errorCode());

        assertEquals(403, call("[]", "GET", "/v1/projects/team-a/locations", null).status());
        // A plain HTTP request, which the mock server turns into an event without an authorizer, is refused too.
        given().get("/v1/projects/team-a/locations").then().statusCode(401);
    }

    private static String location(String name) {
        return """
                {"name":"%s","provider":"minio","bucket":"backups","prefix":"access/%s","s3Url":"%s",
                 "credentials":{"accessKeyId":"%s","secretAccessKey":"%s"}}"""
                .formatted(name, name, LocalServers.s3.url(), LocalServers.s3.accessKey(), LocalServers.s3.secretKey());
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("items").forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    /** One API Gateway event; {@code projects} is the claim's value as API Gateway passes it, null for no JWT. */
    private static Answer call(String projects, String method, String path, String body) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.set("headers", JSON.valueToTree(Map.of("content-type", "application/json", "accept", "application/json")));
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", "test-" + System.nanoTime());
        context.put("stage", "$default");
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        if (projects != null) {
            ObjectNode claims = context.putObject("authorizer").putObject("jwt").putObject("claims");
            claims.put("sub", projects.equals(BOB) ? "bob" : "alice");
            claims.put("lifeboat:projects", projects);
        }
        if (body != null) {
            event.put("body", body);
            event.put("isBase64Encoded", false);
        }
        String answer = given().contentType("application/json").body(event.toString())
                .post("/_lambda_").then().extract().asString();
        try {
            JsonNode response = JSON.readTree(answer);
            String responseBody = response.path("body").asText("");
            return new Answer(response.path("statusCode").asInt(),
                    responseBody.isEmpty() ? JSON.createObjectNode() : JSON.readTree(responseBody));
        } catch (Exception e) {
            throw new AssertionError("not an API Gateway response: " + answer, e);
        }
    }
}

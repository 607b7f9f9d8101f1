package io.lifeboat.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.api.openapi.OpenApiShapes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /q/openapi describes every JAX-RS route of the code: each resource method (found by reflection over the @Path
 * classes of io.lifeboat.api) is in the document under its path and method, with a summary, its success answer, and
 * the error answers in the one error shape.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class OpenApiTest {
    static final Map<Class<? extends Annotation>, String> VERBS = Map.of(GET.class, "get", POST.class, "post",
            PUT.class, "put", DELETE.class, "delete", PATCH.class, "patch");

    record Route(String verb, String path, Method method) {
    }

    /** Every resource method of the @Path classes in io.lifeboat.api: class path + method path, and its verb. */
    static List<Route> routes() throws URISyntaxException, ClassNotFoundException {
        URL folder = OpenApiTest.class.getClassLoader().getResource("io/lifeboat/api/ProjectAccessFilter.class");
        File[] classes = new File(folder.toURI()).getParentFile().listFiles((dir, name) -> name.endsWith(".class")
                && !name.contains("$"));
        List<Route> routes = new ArrayList<>();
        for (File file : classes) {
            Class<?> type = Class.forName("io.lifeboat.api." + file.getName().replace(".class", ""));
            Path base = type.getAnnotation(Path.class);
            if (base == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                for (Map.Entry<Class<? extends Annotation>, String> verb : VERBS.entrySet()) {
                    if (method.isAnnotationPresent(verb.getKey())) {
                        Path sub = method.getAnnotation(Path.class);
                        String path = ("/" + base.value() + (sub == null ? "" : "/" + sub.value())).replaceAll("/+", "/")
                                .replaceAll("/$", "");
                        routes.add(new Route(verb.getValue(), path, method));
                    }
                }
            }
        }
        return routes;
    }

    @Test
    void everyRouteIsDescribedWithItsAnswersAndErrors() throws Exception {
        JsonNode document = new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
        assertTrue(document.path("openapi").asText().startsWith("3."), document.path("openapi").asText());
        List<Route> routes = routes();
        assertTrue(routes.size() >= 40, "the resources were found: " + routes.size());

        TreeSet<String> inCode = new TreeSet<>();
        for (Route route : routes) {
            String where = route.verb().toUpperCase(Locale.ROOT) + " " + route.path() + " ("
                    + route.method().getDeclaringClass().getSimpleName() + "." + route.method().getName() + ")";
            inCode.add(route.verb() + " " + route.path());
            JsonNode operation = document.path("paths").path(route.path()).path(route.verb());
            assertFalse(operation.isMissingNode(), "not in /q/openapi: " + where);
            assertFalse(operation.path("summary").asText().isBlank(), "no summary: " + where);
            JsonNode responses = operation.path("responses");
            List<String> codes = new ArrayList<>();
            responses.fieldNames().forEachRemaining(codes::add);
            assertTrue(codes.stream().anyMatch(c -> c.startsWith("2")), "no success answer: " + where + " " + codes);
            for (String code : OpenApiShapes.COMMON_ERRORS.keySet()) {
                assertTrue(codes.contains(code), "no " + code + " answer: " + where);
            }
            for (String code : codes) {
                if (code.startsWith("4") || code.startsWith("5")) {
                    assertEquals("#/components/schemas/ErrorBody", responses.path(code).path("content")
                            .path("application/json").path("schema").path("$ref").asText(), where + " " + code);
                }
            }
            boolean readsBody = route.method().getParameterCount() > 0 && List.of(route.method().getParameters())
                    .stream().anyMatch(p -> p.getAnnotations().length == 0);
            if (readsBody) {
                JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
                assertTrue(schema.path("$ref").asText().startsWith("#/components/schemas/"),
                        "no request body schema: " + where + " " + schema);
                String name = schema.path("$ref").asText().substring("#/components/schemas/".length());
                assertTrue(document.path("components").path("schemas").path(name).path("properties").size() > 0,
                        "the request body is described field by field: " + where);
            }
        }
        TreeSet<String> inDocument = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (path.getKey().startsWith("/v1/projects/")) { // the test jar's ProjectlessPathTest adds one elsewhere
                path.getValue().fieldNames().forEachRemaining(verb -> inDocument.add(verb + " " + path.getKey()));
            }
        }
        assertEquals(inCode, inDocument, "the document holds the code's routes and nothing else");

        JsonNode error = document.path("components").path("schemas").path("ErrorBody").path("properties").path("error");
        assertEquals(List.of("status", "code", "field", "message"), fields(error.path("properties")));
    }

    /** Each answer is described by its typed view: {name, project, createdAt, spec, status}, and lists page. */
    @Test
    void answersAreDescribedByTheTypedViews() throws Exception {
        JsonNode schemas = new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString()).path("components").path("schemas");
        for (String resource : List.of("Location", "Cluster", "Backup", "Restore", "Schedule", "Workspace",
                "WorkspaceRun", "Notification")) {
            JsonNode properties = schemas.path(resource).path("properties");
            for (String field : List.of("name", "project", "createdAt", "spec", "status")) {
                assertTrue(properties.has(field), resource + " describes " + field + ": " + schemas.path(resource));
            }
            JsonNode list = schemas.path(resource + "List").path("properties");
            assertEquals("#/components/schemas/" + resource, list.path("items").path("items").path("$ref").asText());
            assertTrue(list.has("nextToken"), resource + "List pages");
        }
        JsonNode backupStatus = schemas.path("BackupStatus").path("properties");
        for (String field : List.of("phase", "progress", "sizeBytes", "archiveSha256", "types")) {
            assertTrue(backupStatus.has(field), "a backup's status describes " + field + ": " + backupStatus);
        }
    }

    /** No reference dangles: every "$ref" names a schema the document holds (lists' items included). */
    @Test
    void everyReferenceResolves() throws Exception {
        JsonNode document = new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
        JsonNode schemas = document.path("components").path("schemas");
        List<String> dangling = new ArrayList<>();
        List<JsonNode> pending = new ArrayList<>(List.of(document));
        while (!pending.isEmpty()) {
            JsonNode node = pending.remove(pending.size() - 1);
            if (node.has("$ref")) {
                String ref = node.path("$ref").asText();
                if (!ref.startsWith("#/components/schemas/") || !schemas.has(ref.substring("#/components/schemas/".length()))) {
                    dangling.add(ref);
                }
            }
            node.elements().forEachRemaining(pending::add);
        }
        assertTrue(dangling.isEmpty(), "references to nothing: " + new TreeSet<>(dangling));
    }

    @Test
    void theDocumentIsServedAsYamlToo() {
        String yaml = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertTrue(yaml.contains("/v1/projects/{project}/notifications:"), yaml.substring(0, Math.min(400, yaml.length())));
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

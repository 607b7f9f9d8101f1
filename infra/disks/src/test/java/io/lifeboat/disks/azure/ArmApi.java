package io.lifeboat.disks.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.disks.http.Recorder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Azure Resource Manager's Microsoft.Compute disks and snapshots, and Microsoft Entra's token endpoint, as a recorder
 * answers them: a client-credentials token for the management scope; every ARM request checked for its bearer token
 * and api-version; PUT answers 201 (snapshot Creating) or 200; GET of a snapshot is Creating, then Succeeded after a
 * number of looks (or never); 404 ResourceNotFound in ARM's error shape; 429 with Retry-After when throttled.
 */
public final class ArmApi implements Recorder.Handler {
    public static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public static final String CLIENT = "1b7d2c3e-4f5a-4b6c-8d9e-0f1a2b3c4d5e";
    public static final String SECRET = "client-secret-of-test";
    public static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Map<String, ObjectNode> resources = new LinkedHashMap<>();
    public final Map<String, Integer> looks = new LinkedHashMap<>();
    public final List<String> deleted = new ArrayList<>();
    public int tokens;
    public int looksToComplete = 2;
    public boolean neverComplete;
    public int throttle;

    public ArmApi disk(String id, String location, String zone, String sku) {
        ObjectNode disk = JSON.createObjectNode().put("id", id).put("name", id.substring(id.lastIndexOf('/') + 1))
                .put("type", "Microsoft.Compute/disks").put("location", location);
        if (zone != null) {
            disk.putArray("zones").add(zone);
        }
        disk.putObject("sku").put("name", sku).put("tier", sku.startsWith("Premium") ? "Premium" : "Standard");
        disk.putObject("properties").put("diskSizeGB", 32).put("provisioningState", "Succeeded").put("diskState", "Attached");
        resources.put(id.toLowerCase(), disk);
        return this;
    }

    @Override
    public synchronized Recorder.Answer answer(Recorder.Request request) {
        if (request.path().equals("/" + TENANT + "/oauth2/v2.0/token")) {
            Map<String, String> form = request.form();
            check("client_credentials".equals(form.get("grant_type")), "grant " + form.get("grant_type"));
            check("https://management.azure.com/.default".equals(form.get("scope")), "scope " + form.get("scope"));
            if (!CLIENT.equals(form.get("client_id")) || !SECRET.equals(form.get("client_secret"))) {
                return Recorder.Answer.json(401, "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: "
                        + "Invalid client secret provided.\"}");
            }
            tokens++;
            return Recorder.Answer.json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                    + "\"access_token\":\"" + TOKEN + "\"}");
        }
        check(("Bearer " + TOKEN).equals(request.header("Authorization")), "no bearer token");
        check("api-version=2023-04-02".equals(request.query()), "api-version: " + request.query());
        if (throttle > 0) {
            throttle--;
            return new Recorder.Answer(429, "application/json", "{\"error\":{\"code\":\"OperationNotAllowed\",\"message\":"
                    + "\"The server rejected the request because too many requests have been received for this "
                    + "subscription.\"}}", Map.of("Retry-After", "0"));
        }
        String path = request.path();
        String key = path.toLowerCase();
        if (request.method().equals("GET") && key.endsWith("/providers/microsoft.compute/snapshots")) {
            ObjectNode page = JSON.createObjectNode();
            var value = page.putArray("value");
            resources.forEach((id, r) -> {
                if (id.startsWith(key + "/")) {
                    value.add(r);
                }
            });
            return Recorder.Answer.json(200, page.toString());
        }
        ObjectNode found = resources.get(key);
        switch (request.method()) {
            case "GET" -> {
                if (found == null) {
                    return notFound(path);
                }
                if (path.contains("/snapshots/")) {
                    int n = looks.merge(key, 1, Integer::sum);
                    boolean done = !neverComplete && n >= looksToComplete;
                    ((ObjectNode) found.get("properties")).put("provisioningState", done ? "Succeeded" : "Creating");
                }
                return Recorder.Answer.json(200, found.toString());
            }
            case "PUT" -> {
                JsonNode body = read(request.body());
                check(body.path("location").isTextual(), "a PUT without location");
                String source = body.path("properties").path("creationData").path("sourceResourceId").asText();
                check("Copy".equals(body.path("properties").path("creationData").path("createOption").asText()), "createOption");
                check(resources.containsKey(source.toLowerCase()), "source " + source + " does not exist");
                ObjectNode created = ((ObjectNode) body).deepCopy();
                created.put("id", path).put("name", path.substring(path.lastIndexOf('/') + 1));
                ((ObjectNode) created.get("properties")).put("provisioningState", path.contains("/snapshots/")
                        ? "Creating" : "Updating");
                resources.put(key, created);
                return Recorder.Answer.json(found == null ? 201 : 200, created.toString());
            }
            case "DELETE" -> {
                if (found == null) {
                    return new Recorder.Answer(204, "application/json", "", Map.of());
                }
                resources.remove(key);
                deleted.add(path);
                return new Recorder.Answer(202, "application/json", "", Map.of("Location", "https://example/op"));
            }
            default -> throw new AssertionError("unexpected " + request.method());
        }
    }

    private static Recorder.Answer notFound(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        String type = path.contains("/snapshots/") ? "snapshots" : "disks";
        return Recorder.Answer.json(404, "{\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"The Resource "
                + "'Microsoft.Compute/" + type + "/" + name + "' under resource group was not found.\"}}");
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body);
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}

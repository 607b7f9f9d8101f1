package io.lifeboat.disks.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.disks.http.Recorder;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compute Engine's compute/v1 disks and snapshots, and Google's OAuth token endpoint, as a recorder answers them: a
 * token for a JWT assertion whose RS256 signature the account's public key verifies (issuer, audience and scope
 * checked); every API call checked for that token; createSnapshot and insert answer an Operation; a snapshot is
 * CREATING, UPLOADING, then READY after a number of looks (or never); 404 notFound and 429 rateLimitExceeded in
 * Google's error shape; the snapshot list filtered by labels and paged with pageToken.
 */
public final class ComputeApi implements Recorder.Handler {
    public static final String TOKEN = "ya29.test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Map<String, ObjectNode> disks = new LinkedHashMap<>();
    public final Map<String, ObjectNode> snapshots = new LinkedHashMap<>();
    public final Map<String, Integer> looks = new LinkedHashMap<>();
    public final List<ObjectNode> inserted = new ArrayList<>();
    public final List<String> deleted = new ArrayList<>();
    public final List<String> filters = new ArrayList<>();
    private final PublicKey accountKey;
    private final String account;
    public String tokenUri;
    public int tokens;
    public int looksToComplete = 3;
    public boolean neverComplete;
    public int throttle;
    public int pageSize = 500;

    public ComputeApi(PublicKey accountKey, String account) {
        this.accountKey = accountKey;
        this.account = account;
    }

    public ComputeApi disk(String path, String type) {
        ObjectNode disk = JSON.createObjectNode().put("kind", "compute#disk").put("name", path.substring(path.lastIndexOf('/') + 1))
                .put("sizeGb", "10").put("status", "READY")
                .put("type", "https://www.googleapis.com/compute/v1/" + path.replaceAll("/disks/.*", "/diskTypes/" + type))
                .put("selfLink", "https://www.googleapis.com/compute/v1/" + path);
        disks.put(path, disk);
        return this;
    }

    @Override
    public synchronized Recorder.Answer answer(Recorder.Request request) {
        if (request.path().equals("/token")) {
            return token(request);
        }
        check(("Bearer " + TOKEN).equals(request.header("Authorization")), "no bearer token");
        if (throttle > 0) {
            throttle--;
            return error(429, "rateLimitExceeded", "Rate Limit Exceeded");
        }
        check(request.path().startsWith("/compute/v1/projects/"), "path " + request.path());
        String path = request.path().substring("/compute/v1/".length());
        if (path.endsWith("/createSnapshot")) {
            String disk = path.substring(0, path.length() - "/createSnapshot".length());
            if (!disks.containsKey(disk)) {
                return error(404, "notFound", "The resource 'projects/" + disk + "' was not found");
            }
            JsonNode body = read(request.body());
            String project = path.split("/")[1];
            String name = body.path("name").asText();
            check(name.matches("[a-z]([-a-z0-9]{0,61}[a-z0-9])?"), "snapshot name " + name);
            body.path("labels").fields().forEachRemaining(l -> check(l.getValue().asText().matches("[a-z0-9_-]{0,63}"),
                    "label value " + l.getValue()));
            ObjectNode snapshot = JSON.createObjectNode().put("kind", "compute#snapshot").put("name", name)
                    .put("status", "CREATING").put("sourceDisk", "https://www.googleapis.com/compute/v1/" + disk)
                    .put("diskSizeGb", "10");
            snapshot.set("labels", body.path("labels"));
            snapshots.put("projects/" + project + "/global/snapshots/" + name, snapshot);
            return operation(project, "createSnapshot", disk);
        }
        if (path.matches("projects/[^/]+/global/snapshots")) {
            String filter = request.queryParameters().get("filter");
            filters.add(filter);
            check(filter != null && filter.contains("labels."), "a listing without a label filter");
            List<ObjectNode> found = new ArrayList<>();
            snapshots.forEach((id, s) -> {
                boolean all = true;
                for (String term : filter.split(" AND ")) {
                    String[] kv = term.replaceAll("[()\"]", "").replace("labels.", "").split(" = ");
                    all &= kv[1].equals(s.path("labels").path(kv[0]).asText());
                }
                if (all && id.startsWith(path + "/")) {
                    found.add(s);
                }
            });
            int start = request.queryParameters().containsKey("pageToken")
                    ? Integer.parseInt(request.queryParameters().get("pageToken")) : 0;
            ObjectNode page = JSON.createObjectNode().put("kind", "compute#snapshotList");
            ArrayNode items = page.putArray("items");
            found.subList(Math.min(start, found.size()), Math.min(start + pageSize, found.size())).forEach(items::add);
            if (start + pageSize < found.size()) {
                page.put("nextPageToken", String.valueOf(start + pageSize));
            }
            return Recorder.Answer.json(200, page.toString());
        }
        if (path.matches("projects/[^/]+/zones/[^/]+/disks") && request.method().equals("POST")) {
            JsonNode body = read(request.body());
            String source = body.path("sourceSnapshot").asText();
            ObjectNode snapshot = snapshots.get(source);
            if (snapshot == null) {
                return error(404, "notFound", "The resource '" + source + "' was not found");
            }
            check(snapshot.path("status").asText().equals("READY"), "a disk from a snapshot not READY");
            inserted.add((ObjectNode) body);
            disk(path + "/" + body.path("name").asText(), "pd-balanced");
            return operation(path.split("/")[1], "insert", path + "/" + body.path("name").asText());
        }
        if (path.matches("projects/[^/]+/global/snapshots/[^/]+")) {
            ObjectNode snapshot = snapshots.get(path);
            if (snapshot == null) {
                return error(404, "notFound", "The resource '" + path + "' was not found");
            }
            if (request.method().equals("DELETE")) {
                snapshots.remove(path);
                deleted.add(path);
                return operation(path.split("/")[1], "delete", path);
            }
            int n = looks.merge(path, 1, Integer::sum);
            snapshot.put("status", neverComplete || n < looksToComplete - 1 ? "CREATING"
                    : n < looksToComplete ? "UPLOADING" : "READY");
            return Recorder.Answer.json(200, snapshot.toString());
        }
        if (path.matches("projects/[^/]+/zones/[^/]+/disks/[^/]+") && request.method().equals("GET")) {
            ObjectNode disk = disks.get(path);
            return disk == null ? error(404, "notFound", "The resource '" + path + "' was not found")
                    : Recorder.Answer.json(200, disk.toString());
        }
        throw new AssertionError("unexpected " + request.method() + " " + path);
    }

    private Recorder.Answer token(Recorder.Request request) {
        Map<String, String> form = request.form();
        check("urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type")), "grant " + form.get("grant_type"));
        String[] jwt = form.get("assertion").split("\\.");
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(accountKey);
            signature.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
                return Recorder.Answer.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
            check(account.equals(claims.path("iss").asText()), "iss " + claims.path("iss"));
            check(tokenUri.equals(claims.path("aud").asText()), "aud " + claims.path("aud"));
            check("https://www.googleapis.com/auth/compute".equals(claims.path("scope").asText()), "scope");
            check(claims.path("exp").asLong() - claims.path("iat").asLong() <= 3600, "a JWT of more than an hour");
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new AssertionError(e);
        }
        tokens++;
        return Recorder.Answer.json(200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
    }

    private static Recorder.Answer operation(String project, String type, String target) {
        return Recorder.Answer.json(200, "{\"kind\":\"compute#operation\",\"name\":\"operation-1733470000000-abc\","
                + "\"operationType\":\"" + type + "\",\"targetLink\":\"https://www.googleapis.com/compute/v1/" + target
                + "\",\"status\":\"RUNNING\",\"progress\":0,\"selfLink\":\"https://www.googleapis.com/compute/v1/projects/"
                + project + "/global/operations/operation-1733470000000-abc\"}");
    }

    static Recorder.Answer error(int status, String reason, String message) {
        return Recorder.Answer.json(status, "{\"error\":{\"code\":" + status + ",\"message\":\"" + message
                + "\",\"errors\":[{\"message\":\"" + message + "\",\"domain\":\"global\",\"reason\":\"" + reason + "\"}]}}");
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

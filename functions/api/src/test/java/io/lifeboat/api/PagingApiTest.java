package io.lifeboat.api;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.cluster.Cluster;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.ClusterStatus;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every list pages the same way ({@code ?limit=&nextToken=}, answered {@code {items, nextToken?}}), from the
 * repositories' own paging on DynamoDB Local; a token is hostile input. The records are written through the
 * repositories, since only the lists are under test here.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalServers.class, restrictToAnnotatedClass = false)
class PagingApiTest {
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Inject
    BackupRepository backups;
    @Inject
    ClusterRepository clusters;

    void backup(String project, String name, String cluster) {
        backups.create(Backup.requested(project, name, cluster, "store", null, null, false, NOW, NOW.plus(1, ChronoUnit.DAYS)));
    }

    void cluster(String project, String name) {
        clusters.create(new Cluster(project, name, "kubeconfig", "ctx", "https://k", ClusterStatus.unknown(), NOW));
    }

    /** Follows nextToken from the first page to the last; {@code between} runs before each next page. */
    static List<String> allPages(String path, int limit, Runnable between) {
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            JsonPath page = given().queryParam("limit", limit).queryParams(token == null ? java.util.Map.of()
                    : java.util.Map.of("nextToken", token)).get(path).then().statusCode(200).extract().jsonPath();
            List<String> items = page.getList("items.name");
            assertTrue(items.size() <= limit, items.toString());
            names.addAll(items);
            token = page.getString("nextToken");
            if (token != null) {
                assertEquals(limit, items.size(), "a page before the last is full");
                between.run();
            }
        } while (token != null);
        return names;
    }

    @Test
    void pagesJoinedAreTheWholeListInNameOrder() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = "b" + (char) ('g' - i); // created out of order
            backup("paging-a", name, i % 2 == 0 ? "east" : "west");
            expected.add(0, name);
        }
        List<String> whole = given().get("/v1/projects/paging-a/backups").then().statusCode(200)
                .body("nextToken", nullValue()).extract().jsonPath().getList("items.name");
        assertEquals(expected, whole, "one page, in name order, no token");
        for (int limit : new int[]{1, 2, 3, 7}) {
            assertEquals(expected, allPages("/v1/projects/paging-a/backups", limit, () -> { }), "limit " + limit);
        }
        // a filtered list pages as well: of cluster east, bg, be, bc, ba
        assertEquals(List.of("ba", "bc", "be", "bg"), allPages("/v1/projects/paging-a/backups?cluster=east", 1, () -> { }));
        // the last page, exactly full, says so: no token
        given().queryParam("limit", 7).get("/v1/projects/paging-a/backups").then().statusCode(200)
                .body("items", hasSize(7)).body("nextToken", nullValue());
    }

    @Test
    void itemsCreatedBetweenPagesNeitherHideNorRepeatAnother() {
        List<String> there = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cluster("paging-b", "m" + i);
            there.add("m" + i);
        }
        int[] made = {0};
        List<String> seen = allPages("/v1/projects/paging-b/clusters", 1, () -> {
            cluster("paging-b", "a" + made[0]); // before every cursor
            cluster("paging-b", "z" + made[0]++); // after every cursor
        });
        assertEquals(seen.size(), new HashSet<>(seen).size(), "nothing twice: " + seen);
        assertTrue(seen.containsAll(there), seen.toString());
        assertTrue(seen.stream().noneMatch(n -> n.startsWith("a")), seen.toString());
        assertTrue(seen.contains("z0"), "created after the cursor: on a later page " + seen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1", "ten", "1.5", "99999"})
    void aLimitOutOfRangeIsRefusedNamingIt(String limit) {
        for (String list : List.of("locations", "clusters", "backups", "restores", "schedules", "workspaces",
                "workspaces/w/backups", "workspaces/w/restores")) {
            given().queryParam("limit", limit).get("/v1/projects/paging-c/" + list).then().statusCode(400)
                    .body("error.field", equalTo("limit"));
        }
    }

    @Test
    void theLimitsAtEitherEndAreTaken() {
        given().queryParam("limit", 1).get("/v1/projects/paging-c/backups").then().statusCode(200);
        given().queryParam("limit", 1000).get("/v1/projects/paging-c/backups").then().statusCode(200);
    }

    @Test
    void aGarbledOrAlteredTokenIsRefusedNamingIt() {
        backup("paging-d", "one", "east");
        backup("paging-d", "two", "east");
        String token = given().queryParam("limit", 1).get("/v1/projects/paging-d/backups").then().statusCode(200)
                .extract().path("nextToken");
        assertNotNull(token);
        given().queryParam("nextToken", token).get("/v1/projects/paging-d/backups").then().statusCode(200)
                .body("items.name", equalTo(List.of("two")));

        String payload = token.substring(0, token.indexOf('.'));
        String json = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(json.replace("\"one\"", "\"a\"")
                .getBytes(StandardCharsets.UTF_8)) + token.substring(token.indexOf('.'));
        for (String bad : List.of("garbage", "x".repeat(1500), token + "x", token.substring(1), forged, "..", ".",
                "%00", token.replace('.', '!'))) {
            given().queryParam("nextToken", bad).get("/v1/projects/paging-d/backups").then().statusCode(400)
                    .body("error.field", equalTo("nextToken"));
        }
        // a token of this project's other list, or of the same list with another filter, is not this list's
        cluster("paging-d", "c1");
        cluster("paging-d", "c2");
        String clustersToken = given().queryParam("limit", 1).get("/v1/projects/paging-d/clusters").then()
                .statusCode(200).extract().path("nextToken");
        given().queryParam("nextToken", clustersToken).get("/v1/projects/paging-d/backups").then().statusCode(400)
                .body("error.field", equalTo("nextToken"));
        given().queryParam("nextToken", token).get("/v1/projects/paging-d/backups?cluster=east").then().statusCode(400)
                .body("error.field", equalTo("nextToken"));
    }

    /** Project A's token used on project B: 400, and the answer names nothing of A. */
    @Test
    void aTokenFromAnotherProjectIsRefusedAndRevealsNothing() {
        backup("paging-e", "secret-plan-1", "east");
        backup("paging-e", "secret-plan-2", "east");
        backup("paging-f", "visible", "east");
        String tokenOfE = given().queryParam("limit", 1).get("/v1/projects/paging-e/backups").then().statusCode(200)
                .extract().path("nextToken");
        String answer = given().queryParam("nextToken", tokenOfE).get("/v1/projects/paging-f/backups").then()
                .statusCode(400).body("error.field", equalTo("nextToken")).body("items", nullValue())
                .extract().asString();
        assertFalse(answer.contains("secret-plan"), answer);
        assertFalse(answer.contains("paging-e"), answer);
        given().get("/v1/projects/paging-f/backups").then().statusCode(200)
                .body("items.name", not(org.hamcrest.Matchers.hasItem("secret-plan-2")));
    }
}

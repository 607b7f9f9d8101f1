package io.lifeboat.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * A resource as the API answered it ({@code {name, project, createdAt, spec, status}}), and {@link #awaitPhase}, the
 * one way the API tests wait for a run: they poll GET until {@code status.phase} is a final one.
 */
public record ApiRecord(Map<String, Object> json) {
    /** The phases a run ends in: backups, restores and workspace runs alike. */
    public static final List<String> FINAL = List.of("Completed", "PartiallyFailed", "Failed");

    /** Polls {@code GET path} until its {@code status.phase} is a final one, for at most 90 s; returns the record. */
    public static ApiRecord awaitPhase(String path) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            ApiRecord record = get(path);
            if (FINAL.contains(record.phase())) {
                return record;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " did not reach a final phase within 90 s: " + get(path));
    }

    public static ApiRecord get(String path) {
        return new ApiRecord(given().get(path).then().statusCode(200).extract().jsonPath().getMap(""));
    }

    public String name() {
        return (String) json.get("name");
    }

    public String phase() {
        return (String) status("phase");
    }

    /** A field of {@code status}. */
    public Object status(String field) {
        return section("status").get(field);
    }

    /** A field of {@code spec}. */
    public Object spec(String field) {
        return section("spec").get(field);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(String name) {
        Object section = json.get(name);
        if (!(section instanceof Map<?, ?>)) {
            throw new AssertionError("no " + name + " in " + json);
        }
        return (Map<String, Object>) section;
    }

    @Override
    public String toString() {
        return json.toString();
    }
}

package io.lifeboat.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import static io.restassured.RestAssured.given;

/**
 * What the API tests register before they test something else, each in one place: a location on the local S3 and a
 * cluster by its kubeconfig. Each call checks the 201 and hands back the answer, for the checks a test adds.
 */
final class ApiFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiFixtures() {
    }

    /** The body of a minio location on bucket "backups" of the S3 at {@code url}, with the local S3's keys. */
    static String minioOn(String name, String url, String prefix) {
        return minioOn(name, url, prefix, "");
    }

    /** As {@link #minioOn(String, String, String)}, with {@code moreFields} (",\"encryption\":{…}") added. */
    static String minioOn(String name, String url, String prefix, String moreFields) {
        return """
                {"name":"%s","provider":"minio","bucket":"backups","prefix":"%s","s3Url":"%s",
                 "credentials":{"accessKeyId":"%s","secretAccessKey":"%s"}%s}"""
                .formatted(name, prefix, url, LocalServers.s3.accessKey(), LocalServers.s3.secretKey(), moreFields);
    }

    /** Creates the location {@code body} in {@code project}: 201. */
    static ValidatableResponse addLocation(String project, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/projects/" + project + "/locations")
                .then().statusCode(201);
    }

    /** Creates a minio location on the local S3 under {@code prefix} of bucket "backups": 201. */
    static ValidatableResponse addLocalLocation(String project, String name, String prefix) {
        return addLocation(project, minioOn(name, LocalServers.s3.url(), prefix));
    }

    /** The body registering a cluster whose kubeconfig turns TLS verification off (a sandbox's), as allowed. */
    static String clusterBody(String name, String kubeconfig) {
        return JSON.createObjectNode().put("name", name).put("kubeconfig", kubeconfig).put("allowInsecureTls", true)
                .toString();
    }

    /** Registers the cluster {@code name} in {@code project} with {@code kubeconfig}: 201. */
    static ValidatableResponse addCluster(String project, String name, String kubeconfig) {
        return given().contentType(ContentType.JSON).body(clusterBody(name, kubeconfig))
                .post("/v1/projects/" + project + "/clusters").then().statusCode(201);
    }
}

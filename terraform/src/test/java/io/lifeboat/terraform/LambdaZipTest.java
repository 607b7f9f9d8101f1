package io.lifeboat.terraform;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two zips Terraform deploys: within Lambda's limits, with their handler, and without test-only parts. */
class LambdaZipTest {
    /** Lambda's limit for a function's unzipped code. */
    private static final long UNZIPPED_LIMIT = 250L * 1024 * 1024;
    private static final List<String> TEST_ONLY = List.of("lifeboat-infra-sandbox", "kubernetes-server-mock",
            "DynamoDBLocal", "s3proxy", "junit", "rest-assured", "mockwebserver", "google-cloud-nio");

    @Test
    void theApiZipHoldsTheHttpHandlerAndNoTestParts() throws IOException {
        List<String> entries = check("lifeboat.zip.api");
        assertTrue(entries.stream().anyMatch(e -> e.contains("quarkus-amazon-lambda-http")), "no lambda-http handler");
        assertTrue(entries.stream().anyMatch(e -> e.contains("lifeboat-api")), "no API resources");
    }

    @Test
    void theWorkersZipHoldsFunqyAndNeitherTheRestLayerNorTestParts() throws IOException {
        List<String> entries = check("lifeboat.zip.workers");
        assertTrue(entries.stream().anyMatch(e -> e.contains("quarkus-funqy-amazon-lambda")), "no Funqy Lambda handler");
        assertFalse(entries.stream().anyMatch(e -> e.contains("lifeboat-api")), "the REST resources are the API's");
        assertFalse(entries.stream().anyMatch(e -> e.contains("quarkus-rest-")), "the REST layer is the API's");
    }

    private static List<String> check(String property) throws IOException {
        Path zip = Path.of(System.getProperty(property));
        assertTrue(Files.isRegularFile(zip), "build the Lambda zips first (./mvnw package): " + zip);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            List<? extends ZipEntry> entries = file.stream().toList();
            long unzipped = entries.stream().mapToLong(ZipEntry::getSize).sum();
            assertTrue(unzipped < UNZIPPED_LIMIT, zip + " unzips to " + unzipped + " bytes, over Lambda's 250 MB");
            List<String> names = entries.stream().map(ZipEntry::getName).toList();
            for (String testOnly : TEST_ONLY) {
                assertFalse(names.stream().anyMatch(name -> name.contains(testOnly)), zip + " holds " + testOnly);
            }
            return names;
        }
    }
}

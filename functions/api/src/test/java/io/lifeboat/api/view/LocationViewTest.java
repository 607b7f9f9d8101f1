package io.lifeboat.api.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.location.Provider;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The location's view: every setting under spec by its request name, each secret masked, the status apart. */
class LocationViewTest {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void everySecretIsMaskedAndEverySettingKeepsItsRequestName() {
        Location azure = new Location("p", "az", Provider.AZURE, "velero", "", Map.of(
                LocationField.STORAGE_ACCOUNT, "lifeboatsa", LocationField.TENANT_ID, "tenant",
                LocationField.CLIENT_SECRET, "s3cr3t-value"), LocationStatus.pending(), NOW);
        JsonNode view = JSON.valueToTree(LocationView.of(azure));
        assertFalse(view.toString().contains("s3cr3t-value"), view.toString());
        assertEquals("***", view.path("spec").path("clientSecret").asText());
        assertEquals("velero", view.path("spec").path("container").asText());
        assertFalse(view.path("spec").has("bucket"), "an Azure location has a container");
        assertEquals("lifeboatsa", view.path("spec").path("storageAccount").asText());
        assertEquals("Pending", view.path("status").path("phase").asText());
        assertFalse(view.path("status").has("reason"), "no reason unless Unavailable");
        assertEquals("2026-11-23T10:00:00Z", view.path("createdAt").asText());

        Location s3 = new Location("p", "s3", Provider.AWS, "backups", "team", Map.of(LocationField.REGION, "eu-west-1",
                LocationField.ACCESS_KEY_ID, "AKIAEXAMPLE", LocationField.SECRET_ACCESS_KEY, "wJalrXUtnFEMI",
                LocationField.FORCE_PATH_STYLE, "true"),
                LocationStatus.unavailable(LocationStatus.Reason.NoSuchBucket, "gone", NOW), NOW);
        JsonNode s3View = JSON.valueToTree(LocationView.of(s3));
        assertFalse(s3View.toString().contains("AKIAEXAMPLE") || s3View.toString().contains("wJalrXUtnFEMI"), s3View.toString());
        assertEquals("***", s3View.path("spec").path("credentials").path("secretAccessKey").asText());
        assertTrue(s3View.path("spec").path("forcePathStyle").asBoolean());
        assertEquals("team", s3View.path("spec").path("prefix").asText());
        assertEquals("NoSuchBucket", s3View.path("status").path("reason").asText());
        assertEquals(java.util.List.of("name", "project", "createdAt", "spec", "status"),
                java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(s3View.fieldNames(), 0), false).toList());
    }
}

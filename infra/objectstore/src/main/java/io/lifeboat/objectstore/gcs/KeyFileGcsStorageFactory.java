package io.lifeboat.objectstore.gcs;

import io.lifeboat.secret.Redactor;
import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.lifeboat.input.OutboundPolicy;
import io.lifeboat.location.Location;
import io.lifeboat.objectstore.outbound.CheckedGoogleTransport;
import io.lifeboat.location.LocationField;
import io.lifeboat.objectstore.StoreException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The real Storage client of a GCP location: signed in with the location's service-account key (JSON), in the
 * key's project, at the location's ENDPOINT when one is set (tests) or at storage.googleapis.com.
 */
public final class KeyFileGcsStorageFactory implements GcsStorageFactory {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    // Two tries with a short pause: a location that is wrong fails in seconds, a passing fault is retried once.
    static final int MAX_ATTEMPTS = 2;

    private final CheckedGoogleTransport transport;

    /** Storage and the key's token_uri are reached only at addresses {@code outbound} allows, with no redirect. */
    public KeyFileGcsStorageFactory(OutboundPolicy outbound) {
        this.transport = new CheckedGoogleTransport(outbound);
    }

    @Override
    public Storage create(Location location) {
        ServiceAccountCredentials credentials = credentials(location, transport);
        HttpStorageOptions.Builder options = StorageOptions.http()
                .setCredentials(credentials)
                .setProjectId(credentials.getProjectId())
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setHttpTransportFactory(transport)
                        .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
                        .setReadTimeout((int) READ_TIMEOUT.toMillis())
                        .build())
                .setRetrySettings(RetrySettings.newBuilder()
                        .setMaxAttempts(MAX_ATTEMPTS)
                        .setInitialRetryDelayDuration(Duration.ofMillis(500))
                        .setRetryDelayMultiplier(2.0)
                        .setMaxRetryDelayDuration(Duration.ofSeconds(2))
                        .setTotalTimeoutDuration(Duration.ofSeconds(90))
                        .setInitialRpcTimeoutDuration(READ_TIMEOUT)
                        .setRpcTimeoutMultiplier(1.0)
                        .setMaxRpcTimeoutDuration(READ_TIMEOUT)
                        .build());
        String endpoint = location.field(LocationField.ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            options.setHost(checkedEndpoint(endpoint.strip()));
        }
        return options.build().getService();
    }

    /**
     * Reads the key. The parser's own message is kept (after redaction) but not the exception: a JSON parser's
     * exception may quote the input, and the input is the secret key.
     */
    static ServiceAccountCredentials credentials(Location location, com.google.auth.http.HttpTransportFactory transport) {
        String json = location.field(LocationField.JSON_CREDENTIALS);
        if (json == null || json.isBlank()) {
            throw new StoreException("InvalidCredentials", "the location has no service-account key (jsonCredentials)");
        }
        Redactor redactor = new Redactor(location.secretValues());
        ServiceAccountCredentials credentials;
        try {
            credentials = ServiceAccountCredentials.fromStream(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), transport);
        } catch (IOException | RuntimeException e) {
            throw new StoreException("InvalidCredentials", "the jsonCredentials are not a usable service-account key "
                    + "(a JSON key file of type service_account, as the Google Cloud console downloads it): "
                    + redactor.scrub(String.valueOf(e.getMessage())), null);
        }
        if (credentials.getProjectId() == null || credentials.getProjectId().isBlank()) {
            throw new StoreException("InvalidCredentials", "the service-account key has no project_id");
        }
        // google-auth's own retries of the token request come on top of the client's: keep only the client's
        return credentials.createWithCustomRetryStrategy(false);
    }

    private static String checkedEndpoint(String endpoint) {
        try {
            URI uri = URI.create(endpoint);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return endpoint;
        } catch (IllegalArgumentException e) {
            throw new StoreException("InvalidLocation", "the GCS endpoint " + endpoint
                    + " is not an http(s) URL such as https://storage.googleapis.com", e);
        }
    }
}

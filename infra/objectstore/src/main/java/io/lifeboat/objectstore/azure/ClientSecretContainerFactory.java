package io.lifeboat.objectstore.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationField;
import io.lifeboat.objectstore.StoreException;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The real container client of an Azure location: an Entra ID app registration (tenant, client id, client secret)
 * signs in with ClientSecretCredential, and the blob endpoint is the location's ENDPOINT or
 * https://&lt;account&gt;.blob.core.windows.net. AUTHORITY_HOST, when set, replaces login.microsoftonline.com
 * (sovereign clouds, tests); instance discovery is then off, since it would ask Microsoft about that host.
 */
public final class ClientSecretContainerFactory implements AzureContainerFactory {
    // Three tries, short pauses: a location that is wrong fails in seconds, a passing fault is retried.
    static final int MAX_TRIES = 3;
    static final Duration TRY_TIMEOUT = Duration.ofMinutes(2);
    // The credential's pipeline retries on its own (3 times, up to 3 s apart, by default) inside every storage try.
    static final RetryOptions TOKEN_RETRIES = new RetryOptions(new ExponentialBackoffOptions()
            .setMaxRetries(1).setBaseDelay(Duration.ofMillis(300)).setMaxDelay(Duration.ofSeconds(1)));
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9]{3,24}");

    private final HttpClient http;

    /** Trusts the JVM's certificate authorities; connects only to addresses {@code outbound} allows. */
    public ClientSecretContainerFactory(io.lifeboat.input.OutboundPolicy outbound) {
        this(AzureHttpClients.standard(outbound));
    }

    /** Sends every request, to Entra ID and to the blob endpoint, through this client (see {@link AzureHttpClients}). */
    public ClientSecretContainerFactory(HttpClient http) {
        this.http = http;
    }

    @Override
    public BlobContainerClient create(Location location) {
        String endpoint = blobEndpoint(location);
        TokenCredential credential = credential(location);
        try {
            return new BlobContainerClientBuilder()
                    .endpoint(endpoint)
                    .containerName(location.bucket())
                    .credential(credential)
                    .httpClient(http)
                    .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, MAX_TRIES, TRY_TIMEOUT,
                            Duration.ofMillis(500), Duration.ofSeconds(4), null))
                    .buildClient();
        } catch (IllegalArgumentException e) {
            throw new StoreException("InvalidLocation", "the Azure blob endpoint " + endpoint + " or container "
                    + location.bucket() + " is not valid: " + e.getMessage(), e);
        }
    }

    static String authorityHost(Location location) {
        String host = location.field(LocationField.AUTHORITY_HOST);
        return host == null || host.isBlank() ? "https://login.microsoftonline.com" : host.strip();
    }

    private TokenCredential credential(Location location) {
        String tenant = required(location, LocationField.TENANT_ID);
        String client = required(location, LocationField.CLIENT_ID);
        String secret = required(location, LocationField.CLIENT_SECRET);
        ClientSecretCredentialBuilder builder = new ClientSecretCredentialBuilder()
                .tenantId(tenant)
                .clientId(client)
                .clientSecret(secret)
                .httpClient(http)
                .retryOptions(TOKEN_RETRIES);
        String authority = location.field(LocationField.AUTHORITY_HOST);
        if (authority != null && !authority.isBlank()) {
            builder.authorityHost(httpsUrl(authority.strip(), "Entra ID authority host")).disableInstanceDiscovery();
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            // the builder checks the ids' characters; its message names the field, never the secret
            throw new StoreException("InvalidCredentials", "the Azure credentials are malformed: " + e.getMessage(), e);
        }
    }

    private static String blobEndpoint(Location location) {
        String endpoint = location.field(LocationField.ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            return httpsUrl(endpoint.strip(), "blob endpoint");
        }
        String account = location.field(LocationField.STORAGE_ACCOUNT);
        if (account == null || !ACCOUNT_NAME.matcher(account).matches()) {
            throw new StoreException("InvalidLocation", "the storage account name " + account
                    + " is not valid: Azure names have 3 to 24 lowercase letters and digits");
        }
        return "https://" + account + ".blob.core.windows.net";
    }

    /** Entra ID tokens are only sent over HTTPS, and the SDK refuses them over plain HTTP anyway. */
    private static String httpsUrl(String url, String what) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new StoreException("InvalidLocation", "the " + what + " " + url + " is not a URL", e);
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new StoreException("InvalidLocation", "the " + what + " " + url + " must be an https:// URL");
        }
        return url;
    }

    private static String required(Location location, LocationField field) {
        String value = location.field(field);
        if (value == null || value.isBlank()) {
            throw new StoreException("InvalidCredentials", "the location has no " + field.key());
        }
        return value;
    }
}

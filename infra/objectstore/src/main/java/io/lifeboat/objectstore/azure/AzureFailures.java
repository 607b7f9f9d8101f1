package io.lifeboat.objectstore.azure;

import io.lifeboat.secret.Redactor;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.providers.Failures;

import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what the Azure SDK throws into a {@link StoreException} with a reason and a secret-free message. */
final class AzureFailures {
    /** What the failed call was about: a 404 means a missing container, or a missing blob when reading one. */
    enum Target { CONTAINER, BLOB }

    // Entra ID error codes come as "AADSTS7000215: Invalid client secret provided. Ensure the secret ..."
    private static final Pattern ENTRA_ERROR = Pattern.compile("AADSTS\\d+");

    private static final String MSAL_PACKAGE = "com.microsoft.aad.msal4j.";

    private final String container;
    private final String endpoint;
    private final String authorityHost;
    private final Redactor redactor;

    AzureFailures(String container, String endpoint, String authorityHost, Redactor redactor) {
        this.container = container;
        this.endpoint = endpoint;
        this.authorityHost = authorityHost;
        this.redactor = redactor;
    }

    StoreException translate(String what, Target target, RuntimeException failure) {
        StoreException mapped;
        if (tokenRequestFailed(failure)) {
            mapped = tokenFailure(failure);
        } else if (failure instanceof BlobStorageException e) {
            mapped = storageFailure(what, target, e);
        } else {
            mapped = network(failure, endpoint);
            if (mapped == null) {
                mapped = new StoreException("Error", "Azure Blob failed to " + what + " in container " + container
                        + ": " + failure.getClass().getSimpleName(), failure);
            }
        }
        return new StoreException(mapped.reason(), redactor.scrub(mapped.getMessage()), mapped.getCause());
    }

    private StoreException storageFailure(String what, Target target, BlobStorageException e) {
        BlobErrorCode code = e.getErrorCode();
        if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code)
                || (e.getStatusCode() == 404 && target == Target.CONTAINER && !BlobErrorCode.BLOB_NOT_FOUND.equals(code))) {
            return new StoreException("NoSuchBucket", "Azure container " + container + " does not exist at "
                    + endpoint, e);
        }
        if (BlobErrorCode.MD5MISMATCH.equals(code)) {
            return new StoreException("VerificationFailed", "Azure Blob refused to " + what + " in container "
                    + container + ": the bytes it received do not have the MD5 sent with them (" + code + ")", e);
        }
        if (e.getStatusCode() == 404) {
            return new StoreException("NoSuchKey", "Azure container " + container + " has no blob to " + what, e);
        }
        if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
            return new StoreException("AccessDenied", "the app registration may not " + what + " in Azure container "
                    + container + " (HTTP " + e.getStatusCode() + ", " + code
                    + "; it needs a role such as Storage Blob Data Contributor)", e);
        }
        return new StoreException("Error", "Azure Blob failed to " + what + " in container " + container + " (HTTP "
                + e.getStatusCode() + ", " + code + ")", e);
    }

    /**
     * Azure Identity reports a refused token request as ClientAuthenticationException, or lets MSAL's own exception
     * through (wrapped in an ExecutionException) on the synchronous path.
     */
    private static boolean tokenRequestFailed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClientAuthenticationException || t.getClass().getName().startsWith(MSAL_PACKAGE)) {
                return true;
            }
        }
        return false;
    }

    private StoreException tokenFailure(RuntimeException e) {
        StoreException network = network(e, authorityHost);
        if (network != null) {
            return new StoreException(network.reason(), "cannot get a token from Entra ID: " + network.getMessage(), e);
        }
        return new StoreException("InvalidCredentials", "Entra ID (" + authorityHost + ") refused the client "
                + "credentials (wrong or expired client secret, unknown client id or tenant?): " + entraReason(e), e);
    }

    /** The AADSTS code and its first sentence, from the exception or what it wraps. */
    private static String entraReason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                Matcher m = ENTRA_ERROR.matcher(t.getMessage());
                if (m.find()) {
                    return m.group();
                }
            }
        }
        return "no AADSTS code";
    }

    /** Network failures, timeouts first: Netty's connect timeout is a ConnectException, which means refused. */
    private static StoreException network(Throwable failure, String where) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t.getClass().getName().startsWith("io.netty.handler.timeout.")
                    || t.getClass().getName().equals("io.netty.channel.ConnectTimeoutException")) {
                return new StoreException("Timeout", where + " did not answer in time", failure);
            }
        }
        return Failures.network(failure, where);
    }

}

package io.lifeboat.objectstore.gcs;

import io.lifeboat.secret.Redactor;
import com.google.cloud.storage.StorageException;
import io.lifeboat.objectstore.StoreException;
import io.lifeboat.objectstore.providers.Failures;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what google-cloud-storage throws into a {@link StoreException} with a reason and a secret-free message. */
final class GcsFailures {
    /** What the failed call was about: a 404 means a missing bucket, or a missing object when reading one. */
    enum Target { BUCKET, OBJECT }

    // google-auth's exception for a failed token request is package-private, so it is recognised by name
    private static final String TOKEN_FAILURE_CLASS = "com.google.auth.oauth2.GoogleAuthException";
    private static final String TOKEN_FAILURE_TEXT = "Error getting access token";

    private static final Pattern OAUTH_ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]*)\"");
    /** An OAuth error code: the only part of a token endpoint's answer that is shown (never its free text). */
    private static final Pattern CODE = Pattern.compile("[a-z_]{3,40}");
    /** A missing permission, as GCS names it (storage.objects.list): a code, not free text. */
    private static final Pattern PERMISSION = Pattern.compile("\\bstorage\\.[a-z]+\\.[a-zA-Z]+\\b");

    private final String bucket;
    private final String endpoint;
    private final String tokenEndpoint;
    private final Redactor redactor;

    GcsFailures(String bucket, String endpoint, String tokenEndpoint, Redactor redactor) {
        this.bucket = bucket;
        this.endpoint = endpoint;
        this.tokenEndpoint = tokenEndpoint;
        this.redactor = redactor;
    }

    StoreException translate(String what, Target target, RuntimeException failure) {
        if (tokenRequestFailed(failure)) {
            return tokenFailure(failure);
        }
        StoreException network = Failures.network(failure, endpoint);
        if (network != null) {
            return redacted(network);
        }
        if (failure instanceof StorageException e) {
            return storageFailure(what, target, e);
        }
        return new StoreException("Error", "GCS failed to " + what + " in bucket " + bucket + ": "
                + failure.getClass().getSimpleName(), failure);
    }

    private StoreException storageFailure(String what, Target target, StorageException e) {
        String detail = codes(e);
        return switch (e.getCode()) {
            case 404 -> target == Target.OBJECT && !mentionsBucket(e)
                    ? new StoreException("NoSuchKey", "GCS has no object to " + what + " in bucket " + bucket, e)
                    : new StoreException("NoSuchBucket", "GCS bucket " + bucket + " does not exist (at " + endpoint
                    + ")", e);
            case 401 -> new StoreException("AccessDenied", "GCS did not accept the service account's access token"
                    + " to " + what + " in bucket " + bucket + ": " + detail, e);
            case 403 -> new StoreException("AccessDenied", "the service account may not " + what + " in GCS bucket "
                    + bucket + ": " + detail, e);
            case 408, 504 -> new StoreException("Timeout", "GCS did not answer in time to " + what + " in bucket "
                    + bucket + ": " + detail, e);
            default -> new StoreException("Error", "GCS failed to " + what + " in bucket " + bucket + ": " + detail, e);
        };
    }

    /**
     * What is shown of a GCS error answer: its HTTP status, its reason code and the permission it names, never the
     * rest of its text (a remote body is not echoed).
     */
    private static String codes(StorageException e) {
        StringBuilder codes = new StringBuilder("HTTP " + e.getCode());
        if (e.getReason() != null && CODE.matcher(e.getReason()).matches()) {
            codes.append(" ").append(e.getReason());
        }
        Matcher permission = PERMISSION.matcher(String.valueOf(e.getMessage()));
        if (permission.find()) {
            codes.append(", permission ").append(permission.group());
        }
        return codes.toString();
    }

    private static boolean mentionsBucket(StorageException e) {
        String message = e.getMessage();
        return message != null && message.contains("bucket does not exist");
    }

    private StoreException tokenFailure(RuntimeException failure) {
        StoreException network = Failures.network(failure, tokenEndpoint);
        if (network != null) {
            return redacted(network);
        }
        return new StoreException("InvalidCredentials", "the token endpoint " + tokenEndpoint
                + " refused the service-account key (revoked, deleted or malformed key?): "
                + redactor.scrub(tokenFailureMessage(failure)), failure);
    }

    private StoreException redacted(StoreException e) {
        return new StoreException(e.reason(), redactor.scrub(e.getMessage()), e.getCause());
    }

    private static boolean tokenRequestFailed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals(TOKEN_FAILURE_CLASS)
                    || (t.getMessage() != null && t.getMessage().startsWith(TOKEN_FAILURE_TEXT))) {
                return true;
            }
        }
        return false;
    }

    /** Google's answer in one line: its OAuth error code and description, or the first line of the message. */
    private static String tokenFailureMessage(Throwable failure) {
        String message = failure.getMessage();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals(TOKEN_FAILURE_CLASS)) {
                message = t.getMessage();
                break;
            }
        }
        if (message == null) {
            return "no details";
        }
        Matcher error = OAUTH_ERROR.matcher(message);
        if (error.find() && CODE.matcher(error.group(1)).matches()) {
            return error.group(1);
        }
        return "no error code";
    }
}

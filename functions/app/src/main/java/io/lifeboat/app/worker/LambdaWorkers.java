package io.lifeboat.app.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRepository;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the worker functions as their own Lambdas: validate-location synchronously (the API answers with its
 * result), run-backup and run-restore asynchronously (an Event invocation; Lambda retries and dead-letters it), and
 * the verification of a backup as run-backup with {@code "verify": true}.
 * An invocation Lambda throttles (the account's or the function's concurrency is used up) is tried again with
 * backoff ({@link InvocationRetry}); one Lambda still refuses throws {@link IllegalStateException} naming the function
 * and Lambda's answer, and the caller marks its record Failed with it. Safe to call from many threads at once.
 * After a validation, the location is read back from its table: the function's answer never carries its settings.
 */
public final class LambdaWorkers implements Workers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LambdaClient lambda;
    private final FunctionNames names;
    private final LocationRepository locations;
    private final InvocationRetry retry;

    /** The deployed function of each worker (Terraform's names). */
    public record FunctionNames(String validateLocation, String runBackup, String runRestore) {
    }

    public LambdaWorkers(LambdaClient lambda, FunctionNames names, LocationRepository locations) {
        this(lambda, names, locations, InvocationRetry.DEFAULTS);
    }

    /** {@code lambda} should not retry by itself (its retry strategy at one attempt): {@code retry} does. */
    public LambdaWorkers(LambdaClient lambda, FunctionNames names, LocationRepository locations, InvocationRetry retry) {
        this.lambda = lambda;
        this.names = names;
        this.locations = locations;
        this.retry = retry;
    }

    @Override
    public Location validateLocation(String project, String name) {
        InvokeResponse response = invoke(names.validateLocation(), InvocationType.REQUEST_RESPONSE, project, name);
        if (response.functionError() != null) {
            throw new IllegalStateException("validate-location failed: " + response.functionError());
        }
        return locations.find(project, name).orElseThrow(() -> new NotFoundException("location", project, name));
    }

    @Override
    public void runBackup(String project, String name) {
        invoke(names.runBackup(), InvocationType.EVENT, project, name);
    }

    @Override
    public void runRestore(String project, String name) {
        invoke(names.runRestore(), InvocationType.EVENT, project, name);
    }

    /** run-backup, asked to verify the backup rather than run it. */
    @Override
    public void verifyBackup(String project, String name) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("project", project);
        request.put("name", name);
        request.put("verify", true);
        invoke(names.runBackup(), InvocationType.EVENT, request);
    }

    private InvokeResponse invoke(String function, InvocationType type, String project, String name) {
        return invoke(function, type, Map.of("project", project, "name", name));
    }

    private InvokeResponse invoke(String function, InvocationType type, Map<String, Object> request) {
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return lambda.invoke(r -> r.functionName(function).invocationType(type)
                        .payload(SdkBytes.fromByteArray(payload)));
            } catch (SdkException e) {
                // Lambda answered an error (throttled, missing function, no permission…) or could not be reached
                boolean again = InvocationRetry.retryable(e);
                if (!again || attempt >= retry.attempts()) {
                    throw new IllegalStateException("invoking Lambda " + function + " failed: " + e.getMessage()
                            + (attempt > 1 ? " (after " + attempt + " attempts)" : ""), e);
                }
                pauseBefore(attempt + 1, function, e);
            }
        }
    }

    private void pauseBefore(int attempt, String function, SdkException cause) {
        try {
            retry.pause().pause(retry.backoff(attempt - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("invoking Lambda " + function + " failed: " + cause.getMessage()
                    + " (interrupted before attempt " + attempt + ")", cause);
        }
    }
}

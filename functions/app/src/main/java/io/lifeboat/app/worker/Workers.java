package io.lifeboat.app.worker;

import io.lifeboat.location.Location;

/**
 * Starts Lifeboat's independent functions. In AWS each is its own Lambda, invoked through the AWS SDK; locally,
 * the same functions run in this process.
 */
public interface Workers {
    /**
     * Runs validate-location for one location and waits for it to end (it also imports the backups Velero wrote
     * there, when the location is Available); returns the location as it then is.
     */
    Location validateLocation(String project, String name);

    /**
     * Starts run-backup for one backup and returns at once (an asynchronous invocation). Throws when it cannot be
     * started; the caller then marks the record Failed ({@code BackupService.start}).
     */
    void runBackup(String project, String name);

    /** Starts run-restore for one restore and returns at once. */
    void runRestore(String project, String name);

    /**
     * Starts the verification of one backup's files and returns at once. It runs in run-backup (an asynchronous
     * invocation whose payload says {@code "verify": true}): the function that already reads the backup's location,
     * with its role and its time. Throws when it cannot be started.
     */
    void verifyBackup(String project, String name);
}

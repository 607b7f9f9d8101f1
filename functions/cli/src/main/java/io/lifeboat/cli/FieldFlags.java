package io.lifeboat.cli;

import java.util.Map;

/**
 * Which flag sets which field of the API's request bodies, so that an error naming a field ({@code s3Url},
 * {@code namespaces[1]}, {@code credentials.secretAccessKey}) can say which flag to change.
 */
final class FieldFlags {
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("name", "NAME"),
            Map.entry("cluster", "--cluster"),
            Map.entry("workspace", "--workspace"),
            Map.entry("location", "--location"),
            Map.entry("namespaces", "--namespaces"),
            Map.entry("expiresAt", "--expires"),
            Map.entry("includeClusterResources", "--include-cluster-resources"),
            Map.entry("includeDisks", "--include-disks"),
            Map.entry("prefix", "--prefix"),
            Map.entry("bucket", "--bucket"),
            Map.entry("container", "--container"),
            Map.entry("region", "--region"),
            Map.entry("s3Url", "--s3-url"),
            Map.entry("forcePathStyle", "--force-path-style"),
            Map.entry("caCertificate", "--ca-certificate-file"),
            Map.entry("credentials", "--access-key-id, --secret-access-key-file"),
            Map.entry("credentials.accessKeyId", "--access-key-id"),
            Map.entry("credentials.secretAccessKey", "--secret-access-key-file"),
            Map.entry("sts", "--role-arn, --external-id"),
            Map.entry("sts.roleArn", "--role-arn"),
            Map.entry("sts.externalId", "--external-id"),
            Map.entry("jsonCredentials", "--service-account-key-file"),
            Map.entry("endpoint", "--endpoint"),
            Map.entry("storageAccount", "--storage-account"),
            Map.entry("sku", "--sku"),
            Map.entry("resourceGroup", "--resource-group"),
            Map.entry("tenantId", "--tenant-id"),
            Map.entry("clientId", "--client-id"),
            Map.entry("subscriptionId", "--subscription-id"),
            Map.entry("clientSecret", "--client-secret-file"),
            Map.entry("authorityHost", "--authority-host"),
            Map.entry("encryption", "--kms-key-id"),
            Map.entry("encryption.kmsKeyId", "--kms-key-id"),
            Map.entry("immutability", "--immutability-days, --immutability-mode"),
            Map.entry("immutability.days", "--immutability-days"),
            Map.entry("immutability.mode", "--immutability-mode"),
            Map.entry("snapshotMode", "--snapshot-mode"),
            Map.entry("kubeconfig", "--kubeconfig"),
            Map.entry("context", "--context"),
            Map.entry("allowInsecureTls", "--allow-insecure-tls"),
            Map.entry("backup", "--from-backup"),
            Map.entry("targetCluster", "--to-cluster"),
            Map.entry("namespaceMapping", "--namespace-mapping"),
            Map.entry("storageClassMapping", "--storage-class-mapping"),
            Map.entry("zoneMapping", "--zone-mapping"),
            Map.entry("existingResourcePolicy", "--existing"),
            Map.entry("labelSelector", "--selector"),
            Map.entry("restorePVs", "--restore-volumes"),
            Map.entry("preserveNodePorts", "--preserve-node-ports"),
            Map.entry("workspaceBackup", "--from-backup"),
            Map.entry("clusterMapping", "--cluster-mapping"),
            Map.entry("clusters", "--clusters"),
            Map.entry("retentionDays", "--retention-days"),
            Map.entry("timeZone", "--time-zone"),
            Map.entry("schedule", "--preset or --month/--day/--day-of-week/--hour/--minute"),
            Map.entry("schedule.preset", "--preset"),
            Map.entry("schedule.custom.month", "--month"),
            Map.entry("schedule.custom.dayOfMonth", "--day"),
            Map.entry("schedule.custom.dayOfWeek", "--day-of-week"),
            Map.entry("schedule.custom.hour", "--hour"),
            Map.entry("schedule.custom.minute", "--minute"),
            Map.entry("keep", "--keep-last, --keep-daily, --keep-weekly, --keep-monthly"),
            Map.entry("keep.last", "--keep-last"),
            Map.entry("keep.daily", "--keep-daily"),
            Map.entry("keep.weekly", "--keep-weekly"),
            Map.entry("keep.monthly", "--keep-monthly"),
            Map.entry("verifyAfter", "--verify-after"),
            Map.entry("dryRun", "--dry-run"));

    private FieldFlags() {
    }

    /** The flag for a field as the API names it, trying the whole path, then shorter ones; null when none. */
    static String flagOf(String field) {
        String path = field.replaceAll("\\[[^]]*]", "");
        while (!path.isEmpty()) {
            String flag = FLAGS.get(path);
            if (flag != null) {
                return flag;
            }
            int dot = path.lastIndexOf('.');
            path = dot < 0 ? "" : path.substring(0, dot);
        }
        return null;
    }
}

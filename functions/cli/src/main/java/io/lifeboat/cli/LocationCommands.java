package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * {@code lifeboat location}: backup locations, the buckets archives go to. Creating one validates it at once; every
 * secret (secret access key, client secret, service-account key) is read from a file or standard input.
 */
@Command(name = "location", description = "Backup locations: the buckets (or Azure containers) archives are stored in.",
        subcommands = {LocationCommands.Create.class})
final class LocationCommands extends CommandGroup {
    LocationCommands(Lifeboat root) {
        super(root);
    }

    @Command(name = "list", description = "List the project's locations.")
    void list(@Mixin OutputFormat output) {
        JsonNode items = api().list("locations", null);
        Table table = new Table("NAME", "PROVIDER", "BUCKET", "PREFIX", "PHASE", "REASON", "LAST VALIDATED");
        items.forEach(l -> table.row(l.path("name").asText(), Views.text(l, "spec.provider"), bucket(l),
                Views.text(l, "spec.prefix"), Views.text(l, "status.phase"), Views.text(l, "status.reason"),
                times().both(Views.at(l, "status.lastValidatedAt"))));
        showList(output, items, "locations", table);
    }

    @Command(name = "get", description = "Show a location: its settings (secrets as ***) and its validation.")
    void get(@Parameters(paramLabel = "NAME") String name, @Mixin OutputFormat output) {
        show(output, api().get(ApiClient.path("locations", name)), this::details);
    }

    @Command(name = "validate", description = "Validate a location again: write, read, list and delete a probe "
            + "object. Exits 1 when it is Unavailable.")
    int validate(@Parameters(paramLabel = "NAME") String name, @Mixin OutputFormat output) {
        JsonNode location = api().post(ApiClient.path("locations", name, "validate"), null);
        show(output, location, this::details);
        return "Available".equals(Views.text(location, "status.phase")) ? ExitCodes.OK : ExitCodes.ERROR;
    }

    @Command(name = "delete", description = "Delete a location (the objects in its bucket stay).")
    void delete(@Parameters(paramLabel = "NAME") String name) {
        api().delete(ApiClient.path("locations", name));
        out().println("Location '" + name + "' deleted.");
        out().flush();
    }

    private static String bucket(JsonNode location) {
        String bucket = Views.text(location, "spec.bucket");
        return bucket.isEmpty() ? Views.text(location, "spec.container") : bucket;
    }

    void details(JsonNode location) {
        Details details = new Details().field("Name", location.path("name").asText())
                .field("Project", location.path("project").asText())
                .field("Created", times().both(location.path("createdAt")));
        details.blank();
        Views.specFields(details, location.path("spec"), "", times());
        details.blank()
                .field("Phase", Views.text(location, "status.phase"))
                .field("Reason", Views.text(location, "status.reason"))
                .field("Message", Views.text(location, "status.message"))
                .field("Last validated", times().both(Views.at(location, "status.lastValidatedAt")));
        details.print(out());
    }

    /** {@code lifeboat location create PROVIDER NAME …}: one subcommand per provider, one flag per field. */
    @Command(name = "create", description = "Create a location and validate it.",
            subcommands = {Aws.class, Minio.class, Gcp.class, Azure.class})
    static final class Create extends CommandGroup {
        Create(Lifeboat root) {
            super(root);
        }
    }

    /** The flags every provider has, and the call: POST the body, show the location and how its validation went. */
    abstract static class ProviderCreate implements Callable<Integer> {
        final Lifeboat root;

        @Parameters(index = "0", paramLabel = "NAME", description = "The location's name (a DNS-1123 label).")
        String name;
        @Option(names = "--prefix", paramLabel = "PATH", description = "A folder in the bucket to keep everything under.")
        String prefix;
        @Option(names = "--kms-key-id", paramLabel = "KEY", description = "Encrypt every backup's objects on the client"
                + " side, each backup's data key wrapped by this KMS key (alias/lifeboat-local in local mode). Velero"
                + " cannot read an encrypted backup.")
        String kmsKeyId;
        @Option(names = "--immutability-days", paramLabel = "DAYS", description = "Lock every backup's objects for this"
                + " many days (S3 Object Lock, Azure version-level immutability, GCS object retention).")
        Integer immutabilityDays;
        @Option(names = "--immutability-mode", paramLabel = "governance|compliance",
                description = "How objects are locked: governance (a user with the right permission may lift the lock)"
                        + " or compliance (nobody can); required with --immutability-days.")
        String immutabilityMode;
        @Option(names = "--snapshot-mode", paramLabel = "csi|native|auto", description = "How \"include all disks\""
                + " snapshots volumes: CSI VolumeSnapshots (the default), the cloud's own disk snapshots, or CSI where"
                + " the claim's driver has a VolumeSnapshotClass and native otherwise.")
        String snapshotMode;
        @Mixin
        OutputFormat output;

        ProviderCreate(Lifeboat root) {
            this.root = root;
        }

        abstract String provider();

        /** Adds the provider's fields to the body, reading secrets from their files. */
        abstract void fill(ObjectNode body);

        @Override
        public Integer call() {
            ObjectNode body = ApiClient.object().put("name", name).put("provider", provider());
            putIfSet(body, "prefix", prefix);
            fill(body);
            if (kmsKeyId != null) {
                body.putObject("encryption").put("kmsKeyId", kmsKeyId);
            }
            if (immutabilityDays != null || immutabilityMode != null) {
                ObjectNode immutability = body.putObject("immutability");
                if (immutabilityDays != null) {
                    immutability.put("days", immutabilityDays);
                }
                putIfSet(immutability, "mode", immutabilityMode);
            }
            putIfSet(body, "snapshotMode", snapshotMode);
            JsonNode location = root.api().post("locations", body);
            LocationCommands view = new LocationCommands(root);
            if (output.table()) {
                root.io().out().println("Location '" + name + "' created: "
                        + Views.text(location, "status.phase")
                        + (Views.text(location, "status.reason").isEmpty() ? ""
                        : " (" + Views.text(location, "status.reason") + ": " + Views.text(location, "status.message") + ")"));
                root.io().out().println();
                view.details(location);
            } else {
                Printer.print(root.io().out(), output.format, location);
            }
            return ExitCodes.OK;
        }

        static void putIfSet(ObjectNode body, String field, String value) {
            if (value != null) {
                body.put(field, value);
            }
        }
    }

    /** S3 and S3-compatible stores share the key pair and the S3 options. */
    abstract static class S3Create extends ProviderCreate {
        @Option(names = "--bucket", required = true, paramLabel = "BUCKET")
        String bucket;
        @Option(names = "--region", paramLabel = "REGION")
        String region;
        @Option(names = "--s3-url", paramLabel = "URL", description = "The store's S3 endpoint.")
        String s3Url;
        @Option(names = "--force-path-style", arity = "0..1", paramLabel = "true|false",
                description = "Address the bucket in the path, not the host name.")
        Boolean forcePathStyle;
        @Option(names = "--access-key-id", paramLabel = "ID", description = "The access key's ID (it names the key;"
                + " the secret part is read from --secret-access-key-file).")
        String accessKeyId;
        @Option(names = "--secret-access-key-file", paramLabel = "FILE",
                description = "A file holding the secret access key, or - to read it from standard input.")
        String secretAccessKeyFile;

        S3Create(Lifeboat root) {
            super(root);
        }

        void fillS3(ObjectNode body, String caFile) {
            Secrets.oneStdin(secretAccessKeyFile, caFile);
            body.put("bucket", bucket);
            putIfSet(body, "region", region);
            putIfSet(body, "s3Url", s3Url);
            if (forcePathStyle != null) {
                body.put("forcePathStyle", forcePathStyle);
            }
            if (accessKeyId != null || secretAccessKeyFile != null) {
                ObjectNode credentials = body.putObject("credentials");
                putIfSet(credentials, "accessKeyId", accessKeyId);
                putIfSet(credentials, "secretAccessKey",
                        Secrets.read(root.io(), "--secret-access-key-file", secretAccessKeyFile, true));
            }
        }
    }

    @Command(name = "aws", description = "Amazon S3: --bucket and --region, and a key pair or an STS role.")
    static final class Aws extends S3Create {
        @Option(names = "--role-arn", paramLabel = "ARN", description = "Assume this role (instead of a key pair).")
        String roleArn;
        @Option(names = "--external-id", paramLabel = "ID", description = "The external ID the role requires.")
        String externalId;

        Aws(Lifeboat root) {
            super(root);
        }

        @Override
        String provider() {
            return "aws";
        }

        @Override
        void fill(ObjectNode body) {
            fillS3(body, null);
            if (roleArn != null || externalId != null) {
                ObjectNode sts = body.putObject("sts");
                putIfSet(sts, "roleArn", roleArn);
                putIfSet(sts, "externalId", externalId);
            }
        }
    }

    @Command(name = "minio", description = "MinIO or another S3-compatible store: --bucket, --s3-url and a key pair.")
    static final class Minio extends S3Create {
        @Option(names = "--ca-certificate-file", paramLabel = "FILE",
                description = "A PEM file with the CA certificate the store's HTTPS certificate is signed by.")
        String caCertificateFile;

        Minio(Lifeboat root) {
            super(root);
        }

        @Override
        String provider() {
            return "minio";
        }

        @Override
        void fill(ObjectNode body) {
            fillS3(body, caCertificateFile);
            putIfSet(body, "caCertificate", Secrets.read(root.io(), "--ca-certificate-file", caCertificateFile, false));
        }
    }

    @Command(name = "gcp", description = "Google Cloud Storage: --bucket and a service-account key file.")
    static final class Gcp extends ProviderCreate {
        @Option(names = "--bucket", required = true, paramLabel = "BUCKET")
        String bucket;
        @Option(names = "--service-account-key-file", paramLabel = "FILE",
                description = "The service account's JSON key, or - to read it from standard input.")
        String keyFile;
        @Option(names = "--endpoint", paramLabel = "URL")
        String endpoint;

        Gcp(Lifeboat root) {
            super(root);
        }

        @Override
        String provider() {
            return "gcp";
        }

        @Override
        void fill(ObjectNode body) {
            body.put("bucket", bucket);
            putIfSet(body, "jsonCredentials", Secrets.read(root.io(), "--service-account-key-file", keyFile, false));
            putIfSet(body, "endpoint", endpoint);
        }
    }

    @Command(name = "azure", description = "Azure Blob: a container in a storage account, reached with a client secret.")
    static final class Azure extends ProviderCreate {
        @Option(names = "--container", required = true, paramLabel = "CONTAINER")
        String container;
        @Option(names = "--storage-account", paramLabel = "ACCOUNT")
        String storageAccount;
        @Option(names = "--resource-group", paramLabel = "GROUP")
        String resourceGroup;
        @Option(names = "--subscription-id", paramLabel = "ID")
        String subscriptionId;
        @Option(names = "--tenant-id", paramLabel = "ID")
        String tenantId;
        @Option(names = "--client-id", paramLabel = "ID")
        String clientId;
        @Option(names = "--client-secret-file", paramLabel = "FILE",
                description = "A file holding the client secret, or - to read it from standard input.")
        String clientSecretFile;
        @Option(names = "--sku", paramLabel = "SKU")
        String sku;
        @Option(names = "--endpoint", paramLabel = "URL")
        String endpoint;
        @Option(names = "--authority-host", paramLabel = "URL")
        String authorityHost;

        Azure(Lifeboat root) {
            super(root);
        }

        @Override
        String provider() {
            return "azure";
        }

        @Override
        void fill(ObjectNode body) {
            body.put("container", container);
            putIfSet(body, "storageAccount", storageAccount);
            putIfSet(body, "resourceGroup", resourceGroup);
            putIfSet(body, "subscriptionId", subscriptionId);
            putIfSet(body, "tenantId", tenantId);
            putIfSet(body, "clientId", clientId);
            putIfSet(body, "clientSecret", Secrets.read(root.io(), "--client-secret-file", clientSecretFile, true));
            putIfSet(body, "sku", sku);
            putIfSet(body, "endpoint", endpoint);
            putIfSet(body, "authorityHost", authorityHost);
        }
    }
}

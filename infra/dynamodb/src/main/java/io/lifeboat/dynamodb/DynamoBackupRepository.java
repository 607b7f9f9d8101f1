package io.lifeboat.dynamodb;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import com.fasterxml.jackson.core.type.TypeReference;
import io.lifeboat.backup.Backup;
import io.lifeboat.objectstore.Retention;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.cluster.VolumeSnapshot;
import io.lifeboat.disk.DiskSnapshot;
import io.lifeboat.error.ConflictException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.lifeboat.dynamodb.Attributes.instant;
import static io.lifeboat.dynamodb.Attributes.key;
import static io.lifeboat.dynamodb.Attributes.putIfPresent;
import static io.lifeboat.dynamodb.Attributes.s;
import static io.lifeboat.dynamodb.Attributes.string;

/** Backup records in DynamoDB. Phase changes are conditional writes, so two deliveries of one request run it once. */
public final class DynamoBackupRepository implements BackupRepository {
    private static final TypeReference<List<VolumeSnapshot>> SNAPSHOTS = new TypeReference<>() {
    };
    private static final TypeReference<List<DiskSnapshot>> DISK_SNAPSHOTS = new TypeReference<>() {
    };
    private static final TypeReference<List<Backup.TypeCount>> TYPE_COUNTS = new TypeReference<>() {
    };

    private static final String SCHEDULE = "schedule";
    private static final String VERIFICATION = "verification";

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final ProjectTable table;

    public DynamoBackupRepository(DynamoDbClient dynamo, Tables tables) {
        this.dynamo = dynamo;
        this.tableName = tables.backups();
        this.table = new ProjectTable(dynamo, tableName);
    }

    /**
     * A new record: a requested backup (New), or one imported from Velero, already finished, whose outcome is written
     * with it. Only Lifeboat's own backups join the expiry index: Velero's are never expired by Lifeboat.
     */
    @Override
    public void create(Backup b) {
        Map<String, AttributeValue> item = new HashMap<>(key(b.project(), b.name()));
        putIfPresent(item, "cluster", b.cluster());
        item.put("location", s(b.location()));
        item.put("namespaces", AttributeValue.fromL(b.namespaces().stream().map(Attributes::s).toList()));
        if (b.includeClusterResources() != null) {
            item.put("includeClusterResources", AttributeValue.fromBool(b.includeClusterResources()));
        }
        item.put("includeDisks", AttributeValue.fromBool(b.includeDisks()));
        item.put("createdAt", s(b.createdAt().toString()));
        putIfPresent(item, Tables.EXPIRES_AT, b.expiresAt());
        if (!b.importedFromVelero()) { // Velero's backups are Velero's to expire: never in the expiry index
            item.put(Tables.EXPIRES_AT_MILLIS, n(b.expiresAt().toEpochMilli()));
            item.put(Tables.EXPIRY, s("all"));
        }
        item.put("origin", s(b.origin().name()));
        if (b.encryption() != null) {
            item.put("kmsKeyId", s(b.encryption().kmsKeyId()));
        }
        if (b.retention() != null) {
            item.put("lockMode", s(b.retention().mode().wireName()));
            item.put("retainUntil", s(b.retention().retainUntil().toString()));
        }
        putIfPresent(item, SCHEDULE, b.schedule());
        if (b.verifyAfter()) {
            item.put("verifyAfter", AttributeValue.fromBool(true));
        }
        item.put("phase", s(b.phase().name()));
        item.put("itemsBackedUp", n(b.progress().itemsBackedUp()));
        item.put("totalItems", n(b.progress().totalItems()));
        putIfPresent(item, "startedAt", b.startedAt());
        putIfPresent(item, "completedAt", b.completedAt());
        putIfPresent(item, "archiveSha256", b.archiveSha256());
        if (b.phase().finished()) {
            item.put("sizeBytes", n(b.sizeBytes()));
            item.put("warnings", n(b.warnings()));
            item.put("errors", n(b.errors()));
            item.put("firstErrors", AttributeValue.fromL(b.firstErrors().stream().map(Attributes::s).toList()));
        }
        table.putNew(item, () -> new ConflictException("name",
                "backup '" + b.name() + "' already exists in project '" + b.project() + "'"));
    }

    @Override
    public Optional<Backup> find(String project, String name) {
        return table.get(project, name).map(this::toBackup);
    }

    /** In name order (the table's sort key); of one cluster, filtered while the pages are read. */
    @Override
    public Page<Backup> list(String project, String cluster, PageRequest page) {
        return table.page(project, "", page, this::toBackup, b -> cluster == null || cluster.equals(b.cluster()));
    }

    @Override
    public boolean claim(String project, String name, Instant startedAt) {
        return table.set(project, name, ProjectTable.fields("phase", Backup.Phase.InProgress.name(),
                "startedAt", startedAt.toString()), ProjectTable.PHASE_IS, Backup.Phase.New.name());
    }

    /** A late progress report never overwrites a final phase. */
    @Override
    public void updateProgress(String project, String name, Backup.Progress progress) {
        Map<String, AttributeValue> fields = new LinkedHashMap<>();
        fields.put("itemsBackedUp", n(progress.itemsBackedUp()));
        fields.put("totalItems", n(progress.totalItems()));
        table.setValues(project, name, fields, ProjectTable.PHASE_IS, Backup.Phase.InProgress.name());
    }

    @Override
    public void finish(String project, String name, Backup.Outcome o) {
        Map<String, AttributeValue> fields = new LinkedHashMap<>();
        fields.put("phase", s(o.phase().name()));
        fields.put("itemsBackedUp", n(o.progress().itemsBackedUp()));
        fields.put("totalItems", n(o.progress().totalItems()));
        fields.put("completedAt", s(o.completedAt().toString()));
        fields.put("sizeBytes", n(o.sizeBytes()));
        fields.put("archiveSha256", o.archiveSha256() == null ? AttributeValue.fromNul(true) : s(o.archiveSha256()));
        fields.put("warnings", n(o.warnings()));
        fields.put("errors", n(o.errors()));
        fields.put("firstErrors", AttributeValue.fromL(o.firstErrors().stream().map(Attributes::s).toList()));
        fields.put("volumeSnapshots", s(Documents.json(o.volumeSnapshots())));
        fields.put("diskSnapshots", s(Documents.json(o.diskSnapshots())));
        fields.put("typeCounts", s(Documents.json(o.typeCounts())));
        if (o.encryption() != null) {
            fields.put("plaintextSizeBytes", n(o.encryption().plaintextSizeBytes()));
            putIfPresent(fields, "plaintextSha256", o.encryption().plaintextSha256());
        }
        table.setValues(project, name, fields, ProjectTable.EXISTS, null);
    }

    /** Moves the backup's time in the expiry index; {@code expiresAt}, as asked, stays. */
    @Override
    public void retryDeletionAt(String project, String name, Instant at) {
        table.setValues(project, name, Map.of(Tables.EXPIRES_AT_MILLIS, n(at.toEpochMilli())), ProjectTable.EXISTS, null);
    }

    /**
     * The index, by time; and records written before the index was by time (no {@value Tables#EXPIRES_AT_MILLIS}):
     * found by a scan, given the number so that the index holds them from then on.
     */
    @Override
    public List<Backup> expired(Instant now) {
        List<Backup> expired = new ArrayList<>(dynamo.queryPaginator(r -> r.tableName(tableName).indexName(Tables.EXPIRY_INDEX)
                        .keyConditionExpression("#e = :all AND #at <= :now")
                        .expressionAttributeNames(Map.of("#e", Tables.EXPIRY, "#at", Tables.EXPIRES_AT_MILLIS))
                        .expressionAttributeValues(Map.of(":all", s("all"), ":now", n(now.toEpochMilli()))))
                .items().stream().map(this::toBackup).toList());
        List<Backup> older = dynamo.scanPaginator(r -> r.tableName(tableName)
                        .filterExpression("attribute_not_exists(#at) AND attribute_exists(#e)") // imported ones never expire
                        .expressionAttributeNames(Map.of("#at", Tables.EXPIRES_AT_MILLIS, "#e", Tables.EXPIRY)))
                .items().stream().map(this::toBackup).toList();
        for (Backup b : older) {
            table.setValues(b.project(), b.name(), Map.of(Tables.EXPIRES_AT_MILLIS, n(b.expiresAt().toEpochMilli())),
                    ProjectTable.EXISTS, null);
            if (!b.expiresAt().isAfter(now)) {
                expired.add(b);
            }
        }
        return expired;
    }

    /** A scan with a filter: hourly, over one table, to find runs that died. */
    @Override
    public List<Backup> stuck(Instant startedBefore) {
        return dynamo.scanPaginator(r -> r.tableName(tableName).filterExpression("#phase = :running AND #started < :before")
                        .expressionAttributeNames(Map.of("#phase", "phase", "#started", "startedAt"))
                        .expressionAttributeValues(Map.of(":running", s(Backup.Phase.InProgress.name()),
                                ":before", s(startedBefore.toString()))))
                .items().stream().map(this::toBackup).toList();
    }

    @Override
    public List<Backup> neverStarted(Instant createdBefore) {
        return dynamo.scanPaginator(r -> r.tableName(tableName).filterExpression("#phase = :new AND #created < :before")
                        .expressionAttributeNames(Map.of("#phase", "phase", "#created", "createdAt"))
                        .expressionAttributeValues(Map.of(":new", s(Backup.Phase.New.name()),
                                ":before", s(createdBefore.toString()))))
                .items().stream().map(this::toBackup).toList();
    }

    @Override
    public boolean markDeleting(String project, String name, List<String> pending) {
        Map<String, AttributeValue> fields = new LinkedHashMap<>();
        fields.put("phase", s(Backup.Phase.Deleting.name()));
        if (!pending.isEmpty()) {
            fields.put("firstErrors", AttributeValue.fromL(pending.stream().map(Attributes::s).toList()));
        }
        for (Backup.Phase allowed : List.of(Backup.Phase.Completed, Backup.Phase.PartiallyFailed, Backup.Phase.Failed,
                Backup.Phase.Deleting)) {
            if (table.setValues(project, name, fields, ProjectTable.PHASE_IS, allowed.name())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean failIfNew(String project, String name, String reason, Instant at) {
        Map<String, AttributeValue> fields = new LinkedHashMap<>();
        fields.put("phase", s(Backup.Phase.Failed.name()));
        fields.put("completedAt", s(at.toString()));
        fields.put("errors", n(1));
        fields.put("firstErrors", AttributeValue.fromL(List.of(s(reason))));
        return table.setValues(project, name, fields, ProjectTable.PHASE_IS, Backup.Phase.New.name());
    }

    @Override
    public boolean failIfRunning(String project, String name, String reason, Instant at) {
        Map<String, AttributeValue> fields = new LinkedHashMap<>();
        fields.put("phase", s(Backup.Phase.Failed.name()));
        fields.put("completedAt", s(at.toString()));
        fields.put("firstErrors", AttributeValue.fromL(List.of(s(reason))));
        return table.setValues(project, name, fields, ProjectTable.PHASE_IS, Backup.Phase.InProgress.name());
    }

    @Override
    public boolean delete(String project, String name) {
        return table.delete(project, name);
    }

    /**
     * One Query of the project's partition, filtered on {@code schedule}: read by the sweep for a schedule with an
     * expired backup, hourly at most.
     */
    @Override
    public List<Backup> ofSchedule(String project, String schedule) {
        return dynamo.queryPaginator(r -> r.tableName(tableName).consistentRead(true)
                        .keyConditionExpression("#p = :p").filterExpression("#s = :s")
                        .expressionAttributeNames(Map.of("#p", Tables.PROJECT, "#s", SCHEDULE))
                        .expressionAttributeValues(Map.of(":p", s(project), ":s", s(schedule))))
                .items().stream().map(this::toBackup).toList();
    }

    /** A JSON document in {@value #VERIFICATION}, written while the backup is Completed or PartiallyFailed. */
    @Override
    public boolean recordVerification(String project, String name, Backup.Verification verification) {
        Map<String, AttributeValue> fields = Map.of(VERIFICATION, s(Documents.json(verification)));
        for (Backup.Phase finished : List.of(Backup.Phase.Completed, Backup.Phase.PartiallyFailed)) {
            if (table.setValues(project, name, fields, ProjectTable.PHASE_IS, finished.name())) {
                return true;
            }
        }
        return false;
    }

    private Backup toBackup(Map<String, AttributeValue> item) {
        AttributeValue include = item.get("includeClusterResources");
        AttributeValue firstErrors = item.get("firstErrors");
        String snapshots = string(item, "volumeSnapshots");
        String typeCounts = string(item, "typeCounts");
        String diskSnapshots = string(item, "diskSnapshots"); // absent on records written before native snapshots
        String origin = string(item, "origin"); // absent on records written before origins existed
        AttributeValue verifyAfter = item.get("verifyAfter");
        return new Backup(string(item, Tables.PROJECT), string(item, Tables.NAME), string(item, "cluster"),
                string(item, "location"), item.get("namespaces").l().stream().map(AttributeValue::s).toList(),
                include == null ? null : include.bool(), item.get("includeDisks").bool(), instant(item, "createdAt"),
                instant(item, "expiresAt"), Backup.Phase.valueOf(string(item, "phase")),
                new Backup.Progress(number(item, "itemsBackedUp"), number(item, "totalItems")),
                instant(item, "startedAt"), instant(item, "completedAt"), number(item, "sizeBytes"),
                string(item, "archiveSha256"), (int) number(item, "warnings"), (int) number(item, "errors"),
                firstErrors == null ? List.of() : firstErrors.l().stream().map(AttributeValue::s).toList(),
                snapshots == null ? List.of() : Documents.parse(snapshots, SNAPSHOTS),
                typeCounts == null ? List.of() : Documents.parse(typeCounts, TYPE_COUNTS),
                origin == null ? Backup.Origin.lifeboat : Backup.Origin.valueOf(origin), string(item, SCHEDULE),
                verifyAfter != null && Boolean.TRUE.equals(verifyAfter.bool()),
                Documents.parse(string(item, VERIFICATION), Backup.Verification.class), encryption(item), retention(item),
                diskSnapshots == null ? List.of() : Documents.parse(diskSnapshots, DISK_SNAPSHOTS));
    }

    /** Set on a backup into an encrypted location; the plaintext's figures once it has finished. */
    private static Backup.Encryption encryption(Map<String, AttributeValue> item) {
        String keyId = string(item, "kmsKeyId");
        return keyId == null ? null
                : new Backup.Encryption(keyId, number(item, "plaintextSizeBytes"), string(item, "plaintextSha256"));
    }

    /** Set on a backup into an immutable location. */
    private static Retention retention(Map<String, AttributeValue> item) {
        String mode = string(item, "lockMode");
        return mode == null ? null : new Retention(Retention.Mode.fromWire(mode), instant(item, "retainUntil"));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }


}

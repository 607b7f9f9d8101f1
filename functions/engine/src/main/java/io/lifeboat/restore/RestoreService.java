package io.lifeboat.restore;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.backup.BackupService;
import io.lifeboat.run.Results;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.error.ConflictException;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.error.TooLargeException;
import io.lifeboat.input.Names;

import io.lifeboat.archive.BoundedGzip;
import io.lifeboat.archive.Layout;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.objectstore.ObjectStore;
import io.lifeboat.location.ObjectStoreFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** Accepts restore requests: checks them and records them as New for the run-restore function. */
public final class RestoreService {
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final Pattern ZONE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern RESOURCE = Pattern.compile("[a-z0-9]+(\\.[a-z0-9-.]+)?/([a-z0-9-]+/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    private final RestoreRepository restores;
    private final BackupRepository backups;
    private final ClusterRepository clusters;
    private final LocationRepository locations;
    private final ObjectStoreFactory stores;
    private final Clock clock;

    public RestoreService(RestoreRepository restores, BackupRepository backups, ClusterRepository clusters,
                          LocationRepository locations, ObjectStoreFactory stores, Clock clock) {
        this.restores = restores;
        this.backups = backups;
        this.clusters = clusters;
        this.locations = locations;
        this.stores = stores;
        this.clock = clock;
    }

    /** The restore's log, from restores/<name>/ in the backup's location, decompressed; the caller closes it. */
    public InputStream openLog(String project, String name) {
        return openFile(project, name, Layout.RestoreFile.LOGS);
    }

    /** The restore's whole results (Velero's results file), streamed and decompressed; the caller closes it. */
    public InputStream openResults(String project, String name) {
        return openFile(project, name, Layout.RestoreFile.RESULTS);
    }

    /** The most a dry run's plan may expand to once decompressed; it is streamed, never held. */
    public static final long PLAN_BYTES = 1L << 30;

    /**
     * A dry run's plan, streamed from restores/<name>/ in the backup's location and decompressed as it is read (up to
     * {@link #PLAN_BYTES}); closing it closes the location's store. 409 for a restore that is not a dry run, or that
     * has not written its plan (not finished, or Failed).
     */
    public InputStream openPlan(String project, String name) {
        Restore restore = get(project, name);
        if (!restore.request().dryRun()) {
            throw new ConflictException("name", "restore '" + name + "' is not a dry run: it has no plan");
        }
        if (!restore.phase().finished() || restore.phase() == Restore.Phase.Failed) {
            throw new ConflictException("name", "restore '" + name + "' is " + restore.phase() + ": it has no plan");
        }
        Location location = locationOf(project, restore);
        String key = Layout.restoreObject(location.prefix(), name, Layout.RestoreFile.DRY_RUN_PLAN);
        ObjectStore store = stores.open(location);
        try {
            InputStream plan = BoundedGzip.open(store.download(key), PLAN_BYTES,
                    Layout.RestoreFile.DRY_RUN_PLAN.fileName(name));
            return new java.io.FilterInputStream(plan) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        store.close();
                    }
                }
            };
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private Location locationOf(String project, Restore restore) {
        Backup backup = backups.find(project, restore.backup())
                .orElseThrow(() -> new NotFoundException("backup", project, restore.backup()));
        return locations.find(project, backup.location())
                .orElseThrow(() -> new NotFoundException("location", project, backup.location()));
    }

    private InputStream openFile(String project, String name, Layout.RestoreFile file) {
        Restore restore = get(project, name);
        if (!restore.phase().finished() || restore.phase() == Restore.Phase.Failed) {
            throw new ConflictException("name", "restore '" + name + "' is " + restore.phase() + ": it has no "
                    + file.fileName(name) + " yet");
        }
        Backup backup = backups.find(project, restore.backup())
                .orElseThrow(() -> new NotFoundException("backup", project, restore.backup()));
        Location location = locations.find(project, backup.location())
                .orElseThrow(() -> new NotFoundException("location", project, backup.location()));
        try (ObjectStore store = stores.open(location)) {
            return new ByteArrayInputStream(BoundedGzip.readAll(store.download(Layout.restoreObject(location.prefix(),
                    name, file)), BoundedGzip.DEFAULT_FILE_BYTES, file.fileName(name)));
        } catch (BoundedGzip.TooLarge e) {
            throw new TooLargeException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Restore request(String project, RestoreRequest r) {
        Names.requireLabel("project", project);
        String backupName = Names.requireLabel("backup", r.backup());
        String target = Names.requireLabel("targetCluster", r.targetCluster());
        String name = r.name() != null ? Names.requireLabel("name", r.name()) : null;
        Restore.Request request = options(r);

        Backup backup = backups.find(project, backupName).orElseThrow(() -> new NotFoundException("backup", project, backupName));
        if (backup.phase() != Backup.Phase.Completed && backup.phase() != Backup.Phase.PartiallyFailed) {
            throw new ConflictException("backup", "backup '" + backupName + "' is " + backup.phase()
                    + ": only a Completed or PartiallyFailed backup can be restored");
        }
        clusters.findStatus(project, target).orElseThrow(() -> new NotFoundException("cluster", project, target));
        String restoreName = name != null ? name : truncate(backupName) + "-" + SUFFIX.format(clock.instant());
        Restore restore = Restore.requested(project, restoreName, backupName, target, request, clock.instant());
        restores.create(restore);
        return restore;
    }

    /**
     * The request's options, checked field by field (no lookup: names, the backup and the target are not read), with
     * the defaults filled in. A workspace restore checks them once, before it starts any child.
     */
    public Restore.Request options(RestoreRequest r) {
        List<String> namespaces = Names.requireLabels("namespaces", r.namespaces());
        Map<String, String> namespaceMapping = mapping("namespaceMapping", r.namespaceMapping(), true);
        Map<String, String> storageClassMapping = mapping("storageClassMapping", r.storageClassMapping(), false);
        ExistingResourcePolicy policy = ExistingResourcePolicy.parse("existingResourcePolicy", r.existingResourcePolicy());
        Map<String, String> selector = labelSelector(r.labelSelector());
        List<String> resources = r.resources() == null ? List.of() : r.resources();
        for (int i = 0; i < resources.size(); i++) {
            if (resources.get(i) == null || !RESOURCE.matcher(resources.get(i)).matches()) {
                throw new InvalidInputException("resources[" + i + "]",
                        "must be <resource>[.<group>]/<namespace>/<name>, or <resource>[.<group>]/<name> when cluster-scoped");
            }
        }
        // unset means Velero's default: every cluster-scoped item when every namespace is restored
        boolean clusterResources = r.includeClusterResources() != null ? r.includeClusterResources() : namespaces.isEmpty();
        return new Restore.Request(clusterResources, Boolean.TRUE.equals(r.preserveNodePorts()),
                Boolean.TRUE.equals(r.restorePVs()), namespaces, namespaceMapping, storageClassMapping, policy, selector,
                resources, Boolean.TRUE.equals(r.dryRun()), zoneMapping(r.zoneMapping()));
    }

    /** Zone to zone: each a cloud's zone name (lower-case letters, digits and '-', at most 64 characters). */
    private static Map<String, String> zoneMapping(Map<String, String> given) {
        Map<String, String> mapping = new LinkedHashMap<>();
        if (given == null) {
            return mapping;
        }
        for (Map.Entry<String, String> entry : given.entrySet()) {
            for (String zone : new String[]{entry.getKey(), entry.getValue()}) {
                if (zone == null || !ZONE.matcher(zone).matches()) {
                    throw new InvalidInputException("zoneMapping", "'" + zone + "' is not a zone name (lower-case "
                            + "letters, digits and '-', at most 64 characters, such as us-east-1a or europe-west1-b)");
                }
            }
            mapping.put(entry.getKey(), entry.getValue());
        }
        return mapping;
    }

    private static String truncate(String backup) {
        return backup.length() > 48 ? backup.substring(0, 48).replaceAll("-+$", "") : backup;
    }

    private static Map<String, String> mapping(String field, Map<String, String> given, boolean namespaces) {
        Map<String, String> mapping = new LinkedHashMap<>();
        if (given == null) {
            return mapping;
        }
        given.forEach((from, to) -> {
            if (namespaces) {
                Names.requireLabel(field + "." + from, from);
                Names.requireLabel(field + "." + from, to);
            } else if (to == null || to.length() > 253 || !DNS_SUBDOMAIN.matcher(to).matches()) {
                throw new InvalidInputException(field + "." + from, "'" + to + "' is not a valid storage class name");
            }
            mapping.put(from, to);
        });
        return mapping;
    }

    /** {@code k=v,k2=v2}: equality only, as Velero's restore label selector is used. */
    static Map<String, String> labelSelector(String selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (selector == null || selector.isBlank()) {
            return labels;
        }
        for (String term : selector.split(",")) {
            String[] kv = term.trim().split("=", -1);
            if (kv.length != 2 || !LABEL_KEY.matcher(kv[0]).matches() || !LABEL_VALUE.matcher(kv[1]).matches()) {
                throw new InvalidInputException("labelSelector", "'" + term.trim() + "' is not key=value");
            }
            labels.put(kv[0], kv[1]);
        }
        return labels;
    }

    /**
     * Starts run-restore for a restore just recorded. When it cannot be started, the restore becomes Failed with the
     * reason (it never stays New), and the record as it is then is returned.
     */
    public Restore start(Restore restore, BiConsumer<String, String> start) {
        try {
            start.accept(restore.project(), restore.name());
            return restore;
        } catch (RuntimeException e) {
            Results results = new Results();
            results.errorOfRun(BackupService.notStarted("run-restore", e));
            restores.failIfNew(restore.project(), restore.name(), new Restore.Outcome(Restore.Phase.Failed,
                    restore.progress(), restore.counts(), clock.instant(), 0, 1, results.summary(Results.ON_RECORD)));
            return restores.find(restore.project(), restore.name()).orElse(restore);
        }
    }

    public Restore get(String project, String name) {
        return restores.find(project, name).orElseThrow(() -> new NotFoundException("restore", project, name));
    }

    /** One page of the project's restores in name order; into one cluster when {@code cluster} is not null. */
    public Page<Restore> list(String project, String cluster, PageRequest page) {
        Names.requireLabel("project", project);
        if (cluster != null) {
            Names.requireLabel("cluster", cluster);
        }
        return restores.list(project, cluster, page);
    }
}

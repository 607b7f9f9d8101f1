package io.lifeboat.workspace;

import io.lifeboat.backup.Backup;
import io.lifeboat.backup.BackupRepository;
import io.lifeboat.backup.BackupRequest;
import io.lifeboat.input.Expiry;
import io.lifeboat.backup.BackupService;
import io.lifeboat.cluster.ClusterRepository;
import io.lifeboat.cluster.ClusterStatus;
import io.lifeboat.error.ConflictException;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.error.LifeboatException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.input.Names;
import io.lifeboat.location.LocationRepository;
import io.lifeboat.location.Location;
import io.lifeboat.location.LocationStatus;
import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreRepository;
import io.lifeboat.restore.RestoreRequest;
import io.lifeboat.restore.RestoreService;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Workspaces: groups of clusters. A workspace backup starts one backup per member cluster, named
 * {@code <name>-<cluster>}; a workspace restore restores each of them into its cluster, or the one mapped to it.
 */
public final class WorkspaceService {
    private final WorkspaceRepository workspaces;
    private final ClusterRepository clusters;
    private final LocationRepository locations;
    private final BackupService backupService;
    private final BackupRepository backups;
    private final RestoreService restoreService;
    private final RestoreRepository restores;
    private final Clock clock;

    public WorkspaceService(WorkspaceRepository workspaces, ClusterRepository clusters, LocationRepository locations,
                            BackupService backupService, BackupRepository backups, RestoreService restoreService,
                            RestoreRepository restores, Clock clock) {
        this.workspaces = workspaces;
        this.clusters = clusters;
        this.locations = locations;
        this.backupService = backupService;
        this.backups = backups;
        this.restoreService = restoreService;
        this.restores = restores;
        this.clock = clock;
    }

    public Workspace create(String project, WorkspaceRequests.Create r) {
        Names.requireLabel("project", project);
        String name = Names.requireLabel("name", r.name());
        if (r.clusters() == null || r.clusters().isEmpty()) {
            throw new InvalidInputException("clusters", "name at least one cluster");
        }
        List<String> members = new ArrayList<>(new LinkedHashSet<>(Names.requireLabels("clusters", r.clusters())));
        List<String> namespaces = Names.requireLabels("namespaces", r.namespaces());
        for (String cluster : members) {
            clusters.findStatus(project, cluster).orElseThrow(() -> new NotFoundException("cluster", project, cluster));
        }
        Workspace workspace = new Workspace(project, name, members, namespaces, clock.instant());
        workspaces.create(workspace);
        return workspace;
    }

    public Workspace get(String project, String name) {
        return workspaces.find(project, name).orElseThrow(() -> new NotFoundException("workspace", project, name));
    }

    public Page<Workspace> list(String project, PageRequest page) {
        return workspaces.list(project, page);
    }

    public void delete(String project, String name) {
        if (!workspaces.delete(project, name)) {
            throw new NotFoundException("workspace", project, name);
        }
    }

    public Workspace addCluster(String project, String name, String cluster) {
        Workspace workspace = get(project, name);
        Names.requireLabel("cluster", cluster);
        clusters.findStatus(project, cluster).orElseThrow(() -> new NotFoundException("cluster", project, cluster));
        LinkedHashSet<String> unique = new LinkedHashSet<>(workspace.clusters());
        unique.add(cluster);
        List<String> members = List.copyOf(unique);
        workspaces.setClusters(project, name, members);
        return new Workspace(project, name, members, workspace.namespaces(), workspace.createdAt());
    }

    public Workspace removeCluster(String project, String name, String cluster) {
        Workspace workspace = get(project, name);
        if (!workspace.clusters().contains(cluster)) {
            throw new NotFoundException("cluster", project, cluster + " in workspace " + name);
        }
        if (workspace.clusters().size() == 1) {
            throw new ConflictException("cluster", "a workspace keeps at least one cluster; delete the workspace instead");
        }
        List<String> members = workspace.clusters().stream().filter(c -> !c.equals(cluster)).toList();
        workspaces.setClusters(project, name, members);
        return new Workspace(project, name, members, workspace.namespaces(), workspace.createdAt());
    }

    /**
     * One backup per member cluster, started {@link ChildStarts#CONCURRENCY} at a time; an unhealthy cluster is skipped
     * and reported. The location is read once, and each member's status once, for its child as well. {@code start} is called from several threads at once.
     */
    public WorkspaceRun backup(String project, String workspaceName, WorkspaceRequests.Backup r, BiConsumer<String, String> start) {
        return backup(project, workspaceName, r, start, null, false);
    }

    /**
     * {@link #backup(String, String, WorkspaceRequests.Backup, BiConsumer)} started by {@code schedule} (null: by
     * hand): each child is recorded with it, so that the schedule's retention counts it among its cluster's, and is
     * verified once finished when {@code verifyAfter}.
     */
    public WorkspaceRun backup(String project, String workspaceName, WorkspaceRequests.Backup r,
                               BiConsumer<String, String> start, String schedule, boolean verifyAfter) {
        Workspace workspace = get(project, workspaceName);
        String name = Names.requireLabel("name", r.name());
        for (String cluster : workspace.clusters()) {
            Names.requireLabel("name", name + "-" + cluster); // each child's name must be valid too
        }
        String locationName = Names.requireLabel("location", r.location());
        Instant now = clock.instant();
        Expiry.require("expiresAt", r.expiresAt() == null ? now.plus(BackupService.DEFAULT_TTL)
                : r.expiresAt().toInstant(), now); // refused whole, not per child
        Location location = locations.findPlain(project, locationName)
                .orElseThrow(() -> new NotFoundException("location", project, locationName));
        if (location.status().phase() != LocationStatus.Phase.Available) {
            throw new ConflictException("location", "location '" + locationName + "' is " + location.status().phase());
        }
        // never before the lock of the children's objects ends, and refused whole when asked earlier
        Instant expiresAt = BackupService.expiry("expiresAt", r.expiresAt(), now, location.immutability() == null ? null
                : location.immutability().retentionFrom(now));
        if (workspaces.findRun(project, WorkspaceRun.Kind.backup, name).isPresent()) {
            throw new ConflictException("name", "workspace backup '" + name + "' already exists");
        }
        List<WorkspaceRun.Child> children = ChildStarts.each(workspace.clusters(), cluster -> {
            ClusterStatus member = clusters.findStatus(project, cluster).orElse(null);
            if (member == null || member.health() == ClusterStatus.Health.Unreachable) {
                return new WorkspaceRun.Child(cluster, null, member == null ? "the cluster is no longer registered"
                        : "the cluster was Unreachable at the start: " + member.message());
            }
            try {
                Backup child = backupService.request(project, new BackupRequest(name + "-" + cluster, cluster, locationName,
                        expiresAt.atOffset(ZoneOffset.UTC), r.includeDisks(), r.includeClusterResources(), workspace.namespaces(),
                        verifyAfter), member, location, schedule); // both just read: a child costs its record and its invocation
                backupService.start(child, start); // one that cannot be started is Failed, with the reason
                return new WorkspaceRun.Child(cluster, child.name(), null);
            } catch (LifeboatException e) {
                return new WorkspaceRun.Child(cluster, null, e.getMessage());
            }
        });
        WorkspaceRun.BackupSpec spec = new WorkspaceRun.BackupSpec(locationName, expiresAt,
                Boolean.TRUE.equals(r.includeDisks()), r.includeClusterResources(), workspace.namespaces());
        WorkspaceRun run = WorkspaceRun.ofBackup(project, name, workspaceName, spec, children, now);
        workspaces.createRun(run);
        return run;
    }

    /**
     * Each child backup restored into its cluster, or the one {@code clusterMapping} names, in parallel. The
     * workspace backup must be one of {@code workspace} (the path's): another workspace's is not found.
     */
    public WorkspaceRun restore(String project, String workspace, WorkspaceRequests.Restore r,
                                BiConsumer<String, String> start) {
        String backupName = Names.requireLabel("workspaceBackup", r.workspaceBackup());
        WorkspaceRun source = getRun(project, workspace, WorkspaceRun.Kind.backup, backupName);
        String name = Names.requireLabel("name", r.name() != null ? r.name() : backupName + "-restore");
        Map<String, String> mapping = r.clusterMapping() == null ? Map.of() : r.clusterMapping();
        mapping.forEach((from, to) -> Names.requireLabel("clusterMapping." + from, to));
        // the options are checked once, whole: a bad one is refused before any child starts
        Restore.Request options = restoreService.options(childRequest(null, null, null, r));
        if (workspaces.findRun(project, WorkspaceRun.Kind.restore, name).isPresent()) {
            throw new ConflictException("name", "workspace restore '" + name + "' already exists");
        }
        List<WorkspaceRun.Child> children = ChildStarts.each(source.children(), child -> {
            String target = mapping.getOrDefault(child.cluster(), child.cluster());
            if (child.child() == null) {
                return new WorkspaceRun.Child(target, null, "its backup was skipped: " + child.skipped());
            }
            try {
                Restore restore = restoreService.request(project, childRequest(name + "-" + target, child.child(), target, r));
                restoreService.start(restore, start);
                return new WorkspaceRun.Child(target, restore.name(), null);
            } catch (LifeboatException e) {
                return new WorkspaceRun.Child(target, null, e.getMessage());
            }
        });
        WorkspaceRun run = WorkspaceRun.ofRestore(project, name, source.workspace(),
                new WorkspaceRun.RestoreSpec(backupName, mapping, options), children, clock.instant());
        workspaces.createRun(run);
        return run;
    }

    /** A child restore's body: the workspace restore's options, for one child backup and its target cluster. */
    private static RestoreRequest childRequest(String name, String backup, String target, WorkspaceRequests.Restore r) {
        return new RestoreRequest(name, backup, target, r.includeClusterResources(), r.preserveNodePorts(),
                r.restorePVs(), null, r.namespaceMapping(), r.storageClassMapping(), r.existingResourcePolicy(),
                r.labelSelector(), null);
    }

    /** A run of one workspace; a run of another workspace is not found through this one. */
    public WorkspaceRun getRun(String project, String workspace, WorkspaceRun.Kind kind, String name) {
        return workspaces.findRun(project, kind, name).filter(run -> run.workspace().equals(workspace))
                .orElseThrow(() -> new NotFoundException("workspace " + kind, project, name));
    }

    /** One page of one workspace's runs of one kind, in name order, each as it stands. */
    public Page<RunState> listRuns(String project, String workspace, WorkspaceRun.Kind kind, PageRequest page) {
        Names.requireLabel("project", project);
        return workspaces.listRuns(project, workspace, kind, page).map(this::state);
    }

    /** A run's phase, from its children's: see {@link #state}. */
    public enum RunPhase { InProgress, Completed, PartiallyFailed, Failed }

    /**
     * A child's phase: its backup's or restore's, or {@code Skipped} (none was started: the reason says why), or
     * {@code Deleted} (its record is gone).
     */
    public enum ChildPhase {
        New, InProgress, Completed, PartiallyFailed, Failed, Deleting, Skipped, Deleted;

        boolean running() {
            return this == New || this == InProgress;
        }
    }

    /**
     * A member cluster's part as it stands: the child's name (null when skipped), its phase and progress (null when
     * there is no record), and why it was skipped or failed.
     */
    public record ChildState(String cluster, String name, ChildPhase phase, Long items, Long totalItems, String reason) {
    }

    /** A run with each child as it stands, and its own phase. */
    public record RunState(WorkspaceRun run, List<ChildState> children, RunPhase phase) {
    }

    /**
     * The run with each child's phase and progress, read from the child's record, and its own phase: InProgress while
     * a child is New or InProgress; then Completed when every child completed, PartiallyFailed when at least one
     * completed (fully or partially), else Failed. A skipped or deleted child is not a completed one.
     */
    public RunState state(WorkspaceRun run) {
        List<ChildState> children = run.children().stream().map(child -> childState(run, child)).toList();
        boolean running = children.stream().anyMatch(c -> c.phase().running());
        boolean allCompleted = children.stream().allMatch(c -> c.phase() == ChildPhase.Completed);
        boolean anyCompleted = children.stream()
                .anyMatch(c -> c.phase() == ChildPhase.Completed || c.phase() == ChildPhase.PartiallyFailed);
        RunPhase phase = running ? RunPhase.InProgress : allCompleted ? RunPhase.Completed
                : anyCompleted ? RunPhase.PartiallyFailed : RunPhase.Failed;
        return new RunState(run, children, phase);
    }

    private ChildState childState(WorkspaceRun run, WorkspaceRun.Child child) {
        if (child.child() == null) {
            return new ChildState(child.cluster(), null, ChildPhase.Skipped, null, null, child.skipped());
        }
        if (run.kind() == WorkspaceRun.Kind.backup) {
            Backup backup = backups.find(run.project(), child.child()).orElse(null);
            if (backup == null) {
                return new ChildState(child.cluster(), child.child(), ChildPhase.Deleted, null, null, null);
            }
            String reason = backup.phase() == Backup.Phase.Failed && !backup.firstErrors().isEmpty()
                    ? backup.firstErrors().get(0) : null;
            return new ChildState(child.cluster(), child.child(), ChildPhase.valueOf(backup.phase().name()),
                    backup.progress().itemsBackedUp(), backup.progress().totalItems(), reason);
        }
        Restore restore = restores.find(run.project(), child.child()).orElse(null);
        if (restore == null) {
            return new ChildState(child.cluster(), child.child(), ChildPhase.Deleted, null, null, null);
        }
        String reason = restore.phase() == Restore.Phase.Failed ? restore.firstRunError().orElse(null) : null;
        return new ChildState(child.cluster(), child.child(), ChildPhase.valueOf(restore.phase().name()),
                restore.progress().itemsRestored(), restore.progress().totalItems(), reason);
    }
}

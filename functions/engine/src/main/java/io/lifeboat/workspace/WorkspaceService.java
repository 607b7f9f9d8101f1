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
import io.lifeboat.location.LocationStatus;
import io.lifeboat.restore.Restore;
import io.lifeboat.restore.RestoreRepository;
import io.lifeboat.restore.RestoreRequest;
import io.lifeboat.restore.RestoreService;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    public List<Workspace> list(String project) {
        return workspaces.list(project);
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

    /** One backup per member cluster, started in parallel; an unhealthy cluster is skipped and reported. */
    public WorkspaceRun backup(String project, String workspaceName, WorkspaceRequests.Backup r, BiConsumer<String, String> start) {
        Workspace workspace = get(project, workspaceName);
        String name = Names.requireLabel("name", r.name());
        for (String cluster : workspace.clusters()) {
            Names.requireLabel("name", name + "-" + cluster); // each child's name must be valid too
        }
        String locationName = Names.requireLabel("location", r.location());
        if (r.expiresAt() != null) {
            Expiry.require("expiresAt", r.expiresAt().toInstant(), clock.instant()); // refused whole, not per child
        }
        LocationStatus location = locations.findStatus(project, locationName)
                .orElseThrow(() -> new NotFoundException("location", project, locationName));
        if (location.phase() != LocationStatus.Phase.Available) {
            throw new ConflictException("location", "location '" + locationName + "' is " + location.phase());
        }
        if (workspaces.findRun(project, WorkspaceRun.BACKUP, name).isPresent()) {
            throw new ConflictException("name", "workspace backup '" + name + "' already exists");
        }
        List<WorkspaceRun.Child> children = new ArrayList<>();
        for (String cluster : workspace.clusters()) {
            ClusterStatus member = clusters.findStatus(project, cluster).orElse(null);
            if (member == null || member.health() == ClusterStatus.Health.Unreachable) {
                children.add(new WorkspaceRun.Child(cluster, null, member == null ? "the cluster is no longer registered"
                        : "the cluster was Unreachable at the start: " + member.message()));
                continue;
            }
            try {
                Backup child = backupService.request(project, new BackupRequest(name + "-" + cluster, cluster, locationName,
                        r.expiresAt(), r.includeDisks(), r.includeClusterResources(), workspace.namespaces()));
                backupService.start(child, start); // one that cannot be started is Failed, with the reason
                children.add(new WorkspaceRun.Child(cluster, child.name(), null));
            } catch (LifeboatException e) {
                children.add(new WorkspaceRun.Child(cluster, null, e.getMessage()));
            }
        }
        WorkspaceRun run = new WorkspaceRun(project, name, workspaceName, WorkspaceRun.BACKUP, children, clock.instant());
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
        WorkspaceRun source = getRun(project, workspace, WorkspaceRun.BACKUP, backupName);
        String name = Names.requireLabel("name", r.name() != null ? r.name() : backupName + "-restore");
        Map<String, String> mapping = r.clusterMapping() == null ? Map.of() : r.clusterMapping();
        mapping.forEach((from, to) -> Names.requireLabel("clusterMapping." + from, to));
        if (workspaces.findRun(project, WorkspaceRun.RESTORE, name).isPresent()) {
            throw new ConflictException("name", "workspace restore '" + name + "' already exists");
        }
        List<WorkspaceRun.Child> children = new ArrayList<>();
        for (WorkspaceRun.Child child : source.children()) {
            String target = mapping.getOrDefault(child.cluster(), child.cluster());
            if (child.child() == null) {
                children.add(new WorkspaceRun.Child(target, null, "its backup was skipped: " + child.skipped()));
                continue;
            }
            try {
                Restore restore = restoreService.request(project, new RestoreRequest(name + "-" + target, child.child(), target,
                        r.includeClusterResources(), r.preserveNodePorts(), r.restorePVs(), null, r.namespaceMapping(),
                        r.storageClassMapping(), r.existingResourcePolicy(), r.labelSelector(), null));
                restoreService.start(restore, start);
                children.add(new WorkspaceRun.Child(target, restore.name(), null));
            } catch (LifeboatException e) {
                children.add(new WorkspaceRun.Child(target, null, e.getMessage()));
            }
        }
        WorkspaceRun run = new WorkspaceRun(project, name, source.workspace(), WorkspaceRun.RESTORE, children, clock.instant());
        workspaces.createRun(run);
        return run;
    }

    /** A run of one workspace; a run of another workspace is not found through this one. */
    public WorkspaceRun getRun(String project, String workspace, String kind, String name) {
        return workspaces.findRun(project, kind, name).filter(run -> run.workspace().equals(workspace))
                .orElseThrow(() -> new NotFoundException("workspace " + kind, project, name));
    }

    /** The run with each child's phase and progress, and its own phase: Completed only when every child completed. */
    public Map<String, Object> view(WorkspaceRun run) {
        List<Map<String, Object>> children = new ArrayList<>();
        boolean running = false;
        boolean allCompleted = true;
        boolean anyCompleted = false;
        for (WorkspaceRun.Child child : run.children()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("cluster", child.cluster());
            String phase;
            if (child.child() == null) {
                phase = "Skipped";
                view.put("reason", child.skipped());
            } else if (run.kind().equals(WorkspaceRun.BACKUP)) {
                Backup backup = backups.find(run.project(), child.child()).orElse(null);
                phase = backup == null ? "Deleted" : backup.phase().name();
                view.put("backup", child.child());
                if (backup != null) {
                    view.put("progress", backup.progress());
                    if (backup.phase() == Backup.Phase.Failed && !backup.firstErrors().isEmpty()) {
                        view.put("reason", backup.firstErrors().get(0));
                    }
                }
            } else {
                Restore restore = restores.find(run.project(), child.child()).orElse(null);
                phase = restore == null ? "Deleted" : restore.phase().name();
                view.put("restore", child.child());
                if (restore != null) {
                    view.put("progress", restore.progress());
                    if (restore.phase() == Restore.Phase.Failed) {
                        restore.firstRunError().ifPresent(reason -> view.put("reason", reason));
                    }
                }
            }
            view.put("phase", phase);
            running |= phase.equals("New") || phase.equals("InProgress");
            allCompleted &= phase.equals("Completed");
            anyCompleted |= phase.equals("Completed") || phase.equals("PartiallyFailed");
            children.add(view);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", run.name());
        view.put("project", run.project());
        view.put("workspace", run.workspace());
        view.put("phase", running ? "InProgress" : allCompleted ? "Completed" : anyCompleted ? "PartiallyFailed" : "Failed");
        view.put("children", children);
        view.put("createdAt", run.createdAt().toString());
        return view;
    }
}

package io.lifeboat.cluster;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;
import io.lifeboat.error.ConflictException;
import io.lifeboat.error.InvalidInputException;
import io.lifeboat.error.NotFoundException;
import io.lifeboat.input.EndpointPolicy;
import io.lifeboat.input.Names;

import java.time.Clock;
import java.util.List;

/** Registers clusters, checks their health, and forgets them. */
public final class ClusterService {
    private static final int MAX_KUBECONFIG = 256 * 1024;

    private final ClusterRepository clusters;
    private final ClusterSessions sessions;
    private final EndpointPolicy endpoints;
    private final Clock clock;

    public ClusterService(ClusterRepository clusters, ClusterSessions sessions, EndpointPolicy endpoints, Clock clock) {
        this.clusters = clusters;
        this.sessions = sessions;
        this.endpoints = endpoints;
        this.clock = clock;
    }

    /** Checks the request, stores the cluster, then checks its health. Nothing is stored when the request is bad. */
    public Cluster register(String project, ClusterRequest request) {
        Names.requireLabel("project", project);
        String name = Names.requireLabel("name", request.name());
        if (request.kubeconfig() == null || request.kubeconfig().isBlank()) {
            throw new InvalidInputException("kubeconfig", "is required");
        }
        if (request.kubeconfig().length() > MAX_KUBECONFIG) {
            throw new InvalidInputException("kubeconfig", "is larger than " + MAX_KUBECONFIG + " bytes");
        }
        if (request.context() != null && request.context().isBlank()) {
            throw new InvalidInputException("context", "must not be blank");
        }
        ClusterSession.KubeconfigTarget target;
        try (ClusterSession session = sessions.open(request.kubeconfig(), request.context())) {
            target = session.target();
        }
        endpoints.requireUrl("kubeconfig", target.server());
        if (target.insecureSkipTlsVerify() && !Boolean.TRUE.equals(request.allowInsecureTls())) {
            throw new InvalidInputException("allowInsecureTls", "must be true to register a kubeconfig that turns TLS "
                    + "verification off (insecure-skip-tls-verify): anyone on the path could then read the cluster's "
                    + "credentials; prefer certificate-authority-data");
        }
        Cluster cluster = new Cluster(project, name, request.kubeconfig(), target.context(), target.server(),
                ClusterStatus.unknown(), clock.instant(), target.insecureSkipTlsVerify());
        clusters.create(cluster);
        return check(cluster);
    }

    public Cluster get(String project, String name) {
        return clusters.find(project, name).orElseThrow(() -> new NotFoundException("cluster", project, name));
    }

    public Page<Cluster> list(String project, PageRequest page) {
        return clusters.list(project, page);
    }

    public void delete(String project, String name) {
        if (!clusters.delete(project, name)) {
            throw new NotFoundException("cluster", project, name);
        }
    }

    /**
     * The storage classes a registered cluster offers now (read from its API server, not stored), in name order: what a
     * restore into it may map storage classes to. A cluster that cannot be read is a conflict (409) with the reason:
     * its state, not the request, is at fault.
     */
    public List<ClusterSession.StorageClass> storageClasses(String project, String name) {
        Cluster cluster = get(project, name);
        try (ClusterSession session = sessions.open(cluster.kubeconfig(), cluster.context())) {
            return session.storageClasses();
        } catch (ClusterSession.Rejected e) {
            throw new ConflictException(null, "cluster " + name + ": " + e.getMessage());
        }
    }

    /** Asks the cluster's API server for its version and records the outcome. */
    public Cluster check(Cluster cluster) {
        ClusterStatus status;
        try (ClusterSession session = sessions.open(cluster.kubeconfig(), cluster.context())) {
            status = session.health();
        }
        clusters.updateStatus(cluster.project(), cluster.name(), status);
        return cluster.withStatus(status);
    }
}

package io.lifeboat.cluster;

import io.lifeboat.paging.Page;
import io.lifeboat.paging.PageRequest;

import java.util.List;
import java.util.Optional;

/** Persistence of clusters. Implementations seal the kubeconfig at rest. */
public interface ClusterRepository {
    /** Stores a new cluster; throws ConflictException when the name is taken in the project. */
    void create(Cluster cluster);

    Optional<Cluster> find(String project, String name);

    /** The cluster's health, without opening its kubeconfig (see LocationRepository.findStatus). */
    Optional<ClusterStatus> findStatus(String project, String name);

    /** One page of the project's clusters, in name order. */
    Page<Cluster> list(String project, PageRequest page);

    List<Cluster> listAll();

    void updateStatus(String project, String name, ClusterStatus status);

    boolean delete(String project, String name);
}

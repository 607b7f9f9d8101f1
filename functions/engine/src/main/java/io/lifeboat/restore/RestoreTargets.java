package io.lifeboat.restore;

/** Opens a cluster to restore into, from its stored kubeconfig. */
public interface RestoreTargets {
    RestoreTarget open(String kubeconfig, String context);
}

package io.lifeboat.sandbox.kube;

/** Writes the kubeconfig YAML of a sandbox: one cluster, one user with a bearer token, one context, current. */
final class Kubeconfig {
    private Kubeconfig() {
    }

    static String yaml(String name, String serverUrl, String token, String namespace) {
        String user = name + "-admin";
        StringBuilder yaml = new StringBuilder();
        yaml.append("apiVersion: v1\n")
                .append("kind: Config\n")
                .append("clusters:\n")
                .append("- name: ").append(name).append('\n')
                .append("  cluster:\n")
                .append("    server: ").append(serverUrl).append('\n');
        yaml.append("    insecure-skip-tls-verify: true\n");
        yaml.append("users:\n")
                .append("- name: ").append(user).append('\n')
                .append("  user:\n")
                .append("    token: ").append(token).append('\n')
                .append("contexts:\n")
                .append("- name: ").append(name).append('\n')
                .append("  context:\n")
                .append("    cluster: ").append(name).append('\n')
                .append("    user: ").append(user).append('\n')
                .append("    namespace: ").append(namespace).append('\n')
                .append("current-context: ").append(name).append('\n')
                .append("preferences: {}\n");
        return yaml.toString();
    }
}

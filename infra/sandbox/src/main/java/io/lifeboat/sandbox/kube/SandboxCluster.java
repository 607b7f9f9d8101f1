package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A sandbox Kubernetes API server on 127.0.0.1: Lifeboat's own stand-in for kube-apiserver ({@link SandboxHttpServer}
 * in front of a {@link SandboxDispatcher} and its {@link StoredObjects}), reached over HTTPS (certificate not
 * verified) with a bearer token through an ordinary kubeconfig.
 *
 * <pre>
 * try (SandboxCluster cluster = SandboxCluster.start()) {
 *     KubernetesClient client = cluster.client();       // built from cluster.kubeconfigYaml()
 *     Path kubeconfig = cluster.kubeconfigFile();        // for kubectl --kubeconfig
 *     cluster.faults().failLists("secrets", 2);
 * }
 * </pre>
 *
 * Several sandboxes can run in one JVM; each has its own store, port, token and Vert.x instance.
 */
public final class SandboxCluster implements AutoCloseable {
    /** The namespaces every real cluster has, there from the start unless the builder says otherwise. */
    public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-node-lease", "kube-public",
            "kube-system");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final String name;
    private final SandboxHttpServer server;
    private final SandboxDispatcher dispatcher;
    private final Faults faults;
    private final ServerLoad load;
    private final String token;
    private final String url;
    private final String kubeconfigYaml;
    private KubernetesClient sharedClient;
    private Path kubeconfigFile;
    private boolean closed;

    private SandboxCluster(Builder builder) {
        this.name = builder.name;
        this.faults = new Faults();
        this.token = builder.token != null ? builder.token : newToken();
        this.load = new ServerLoad(builder.latency, builder.maxInFlight);
        this.dispatcher = new SandboxDispatcher(faults, builder.continueTimeToLive,
                builder.requireToken ? token : null);
        this.server = SandboxHttpServer.start(dispatcher, load, builder.port);
        try {
            this.url = "https://127.0.0.1:" + server.port();
            dispatcher.serverAddress("127.0.0.1:" + server.port());
            this.kubeconfigYaml = Kubeconfig.yaml(name, url, token, builder.namespace);
            if (builder.systemNamespaces) {
                SYSTEM_NAMESPACES.forEach(this::createSystemNamespace);
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void createSystemNamespace(String namespace) {
        dispatcher.create("/api/v1/namespaces", new NamespaceBuilder()
                .withNewMetadata().withName(namespace).addToLabels("kubernetes.io/metadata.name", namespace)
                .endMetadata()
                .withNewSpec().withFinalizers("kubernetes").endSpec()
                .withNewStatus().withPhase("Active").endStatus()
                .build());
    }

    /**
     * Creates a namespace, as a test's setup would with kubectl: like a real server, the sandbox refuses objects in a
     * namespace that does not exist.
     */
    public SandboxCluster createNamespace(String namespace) {
        dispatcher.create("/api/v1/namespaces", new NamespaceBuilder()
                .withNewMetadata().withName(namespace).addToLabels("kubernetes.io/metadata.name", namespace)
                .endMetadata().build());
        return this;
    }

    /** Starts a sandbox named "sandbox" on a free port. */
    public static SandboxCluster start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Cluster, context and (with "-admin") user name in the kubeconfig. */
    public String name() {
        return name;
    }

    /** The API server's URL, e.g. https://127.0.0.1:40123 */
    public String url() {
        return url;
    }

    public int port() {
        return server.port();
    }

    /** The bearer token the kubeconfig carries. */
    public String token() {
        return token;
    }

    /**
     * A complete kubeconfig: cluster, user with the bearer token, context (named like the sandbox), current context.
     * It says {@code insecure-skip-tls-verify: true}: its certificate is self-signed, and trusting it would need its CA in every
     * kubeconfig that tests hand around.
     */
    public String kubeconfigYaml() {
        return kubeconfigYaml;
    }

    /** Writes the kubeconfig to a temporary file (once), which {@link #close()} deletes. */
    public synchronized Path kubeconfigFile() {
        if (kubeconfigFile == null) {
            try {
                Path file = Files.createTempFile("lifeboat-" + name + "-kubeconfig-", ".yaml",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                kubeconfigFile = kubeconfigFile(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return kubeconfigFile;
    }

    /** Writes the kubeconfig to the given file, replacing it, and returns the file. */
    public Path kubeconfigFile(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, kubeconfigYaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client built from {@link #kubeconfigYaml()}, shared by callers; {@link #close()} closes it. */
    public synchronized KubernetesClient client() {
        if (sharedClient == null) {
            sharedClient = newClient();
        }
        return sharedClient;
    }

    /** A new client built from {@link #kubeconfigYaml()}; the caller closes it. */
    public KubernetesClient newClient() {
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
    }

    public Faults faults() {
        return faults;
    }

    /** The latency and in-flight limit the sandbox was started with, and its counters (peak in flight, 429s). */
    public ServerLoad load() {
        return load;
    }

    /** Continue-token snapshots currently held (for tests of paging). */
    int openListSnapshots() {
        return dispatcher.pager().openSnapshots();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sharedClient != null) {
            sharedClient.close();
        }
        server.close();
        if (kubeconfigFile != null) {
            try {
                Files.deleteIfExists(kubeconfigFile);
            } catch (IOException e) {
                // a leftover temporary file is harmless
            }
        }
    }

    @Override
    public String toString() {
        return "SandboxCluster[" + name + " at " + url + "]";
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "sandbox-" + HexFormat.of().formatHex(bytes);
    }

    public static final class Builder {
        private String name = "sandbox";
        private int port;
        private boolean requireToken = true;
        private boolean systemNamespaces = true;
        private String token;
        private String namespace = "default";
        private Duration continueTimeToLive = ListPager.DEFAULT_TIME_TO_LIVE;
        private Duration latency = Duration.ZERO;
        private int maxInFlight;

        private Builder() {
        }

        /** Cluster and context name in the kubeconfig (a DNS label); "sandbox" by default. */
        public Builder name(String name) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a DNS label: " + name);
            }
            this.name = name;
            return this;
        }

        /** A fixed port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The bearer token to use instead of a random one. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Whether requests without the bearer token are refused with 401 (the default), like a real server. */
        public Builder requireToken(boolean requireToken) {
            this.requireToken = requireToken;
            return this;
        }

        /** Whether the store starts with {@link #SYSTEM_NAMESPACES} (the default) or empty. */
        public Builder systemNamespaces(boolean systemNamespaces) {
            this.systemNamespaces = systemNamespaces;
            return this;
        }

        /** The namespace of the kubeconfig's context; "default" by default. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** How long an unused continue token stays valid; 5 minutes by default. */
        public Builder continueTimeToLive(Duration timeToLive) {
            this.continueTimeToLive = timeToLive;
            return this;
        }

        /**
         * Delays every answer by this much (whole milliseconds; zero, the default, for none), standing for the
         * network round trip, admission and the etcd commit of a real server. The delay holds neither the store
         * nor a thread: requests sent together wait it out together. A 429 from {@link #maxInFlight} is not delayed.
         */
        public Builder latency(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative: " + latency);
            }
            this.latency = latency;
            return this;
        }

        /**
         * At most this many requests served at once (0, the default, for no limit); one more is answered at once
         * with 429 TooManyRequests and {@code Retry-After: 1}, as API Priority and Fairness does when its queues are
         * full. Health checks, {@code /version} and watches are not counted. Without a {@link #latency} requests
         * hardly overlap, so the limit is seldom reached.
         */
        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight < 0) {
                throw new IllegalArgumentException("maxInFlight must not be negative: " + maxInFlight);
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        public SandboxCluster start() {
            return new SandboxCluster(this);
        }
    }
}

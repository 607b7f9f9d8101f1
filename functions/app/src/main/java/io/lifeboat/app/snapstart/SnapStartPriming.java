package io.lifeboat.app.snapstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lifeboat.app.function.RunResult;
import io.lifeboat.dynamodb.Tables;
import io.lifeboat.kube.KubeClients;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * SnapStart priming. When Lambda publishes a version of a function with SnapStart, it runs the init, calls the CRaC
 * {@code beforeCheckpoint} hooks, and snapshots the process; every later cold start restores that snapshot instead of
 * running the init. Whatever the hook has loaded, initialized and compiled is then already in memory when the first
 * request arrives. The hook here, registered at start-up unless {@code lifeboat.snapstart.priming=false}:
 * <ul>
 *   <li>loads the classes listed in {@code META-INF/lifeboat-priming-classes.txt} (each zip has its own: the classes of
 *   its jars that its functions loaded up to their first answer in the cold-start benchmark, which writes the list; a
 *   class that is gone is skipped). They are loaded, not initialized: initializing them out of their order was tried
 *   and broke classes whose static initializer needs another's (OkHttp's Platform failed for good, and every request
 *   that needed it);</li>
 *   <li>reads one key that cannot exist from each table, so that the DynamoDB client's whole request path (signing,
 *   the HTTP client, unmarshalling) has run once;</li>
 *   <li>writes and reads JSON with the application's mapper, and builds and closes a fabric8 client (no request is
 *   made) and parses a list of Kubernetes objects with it.</li>
 * </ul>
 * It writes nothing, reads nothing that exists, and a failure is logged, never thrown: priming only makes the first
 * request faster. Without SnapStart (run-restore, and local mode) the hook never runs.
 */
@ApplicationScoped
public class SnapStartPriming implements Resource {
    static final String CLASS_LIST = "META-INF/lifeboat-priming-classes.txt";
    private static final Logger LOG = Logger.getLogger(SnapStartPriming.class);
    /** A project name no project can have (not a DNS-1123 label), so that the reads find nothing. */
    private static final String NO_PROJECT = "__priming__";
    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: priming
              cluster:
                server: https://192.0.2.1:6443
            users:
            - name: priming
              user:
                token: priming
            contexts:
            - name: priming
              context:
                cluster: priming
                user: priming
            current-context: priming
            """;
    private static final String OBJECTS = """
            {"apiVersion":"v1","kind":"List","items":[
             {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"n","labels":{"app":"a"}},
              "data":{"k":"v"}},
             {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"n"},"type":"Opaque",
              "data":{"k":"dg=="}}]}""";

    @Inject
    DynamoDbClient dynamo;
    @Inject
    Tables tables;
    @Inject
    ObjectMapper json;
    @Inject
    KubeClients kubeClients;
    @ConfigProperty(name = "lifeboat.snapstart.priming", defaultValue = "true")
    boolean enabled;

    void register(@Observes StartupEvent event) {
        if (enabled) {
            Core.getGlobalContext().register(this); // this bean lives as long as the application: a strong reference
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long start = System.nanoTime();
        int classes = preloadClasses();
        int reads = readEachTable();
        boolean jsonDone = json();
        boolean kubeDone = kube();
        LOG.infof("SnapStart priming: %d classes loaded, %d tables read, JSON %s, fabric8 %s, in %d ms", classes, reads,
                jsonDone ? "done" : "failed", kubeDone ? "done" : "failed", (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to renew: the clients reconnect by themselves, and no secret or random state was made in priming
    }

    /** Loads every class of the list, without initializing it; returns how many could be. */
    int preloadClasses() {
        ClassLoader loader = SnapStartPriming.class.getClassLoader();
        int loaded = 0;
        try {
            Enumeration<URL> lists = loader.getResources(CLASS_LIST);
            while (lists.hasMoreElements()) {
                try (InputStream in = lists.nextElement().openStream();
                     BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        String name = line.strip();
                        if (name.isEmpty() || name.startsWith("#")) {
                            continue;
                        }
                        try {
                            Class.forName(name, false, loader);
                            loaded++;
                        } catch (Throwable skipped) {
                            // gone since the list was written
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warnf("SnapStart priming could not read %s: %s", CLASS_LIST, e.getMessage());
        }
        return loaded;
    }

    /** One GetItem of a key that cannot exist in each table; returns how many answered. */
    int readEachTable() {
        int answered = 0;
        for (String table : List.of(tables.locations(), tables.clusters(), tables.backups(), tables.restores(),
                tables.schedules(), tables.workspaces(), tables.workspaceRuns(), tables.notifications())) {
            try {
                dynamo.getItem(r -> r.tableName(table).key(Map.of(Tables.PROJECT, AttributeValue.fromS(NO_PROJECT),
                        Tables.NAME, AttributeValue.fromS(NO_PROJECT))));
                answered++;
            } catch (RuntimeException e) {
                LOG.debugf("SnapStart priming: reading %s failed: %s", table, e.getMessage());
            }
        }
        return answered;
    }

    /** The mapper writes an answer and reads it back, as a function's first answer does. */
    boolean json() {
        try {
            String written = json.writeValueAsString(new RunResult("p", "n", "Completed"));
            JsonNode read = json.readTree(written);
            json.treeToValue(read, RunResult.class);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debugf("SnapStart priming: JSON failed: %s", e.getMessage());
            return false;
        }
    }

    /** A fabric8 client is built (its HTTP client too) and parses objects; it never connects. */
    boolean kube() {
        try (KubernetesClient client = kubeClients.connect(KUBECONFIG, null)) {
            client.getKubernetesSerialization().unmarshal(OBJECTS, KubernetesList.class);
            return true;
        } catch (RuntimeException e) {
            LOG.debugf("SnapStart priming: fabric8 failed: %s", e.getMessage());
            return false;
        }
    }
}

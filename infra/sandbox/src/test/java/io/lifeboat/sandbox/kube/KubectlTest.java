package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real kubectl (1.32) against the sandbox, through the kubeconfig file the sandbox writes. */
class KubectlTest {
    private static SandboxCluster sandbox;
    private static KubernetesClient client;
    private static Kubectl kubectl;

    @BeforeAll
    static void start(@TempDir Path folder) throws IOException {
        Kubectl.requireInstalled();
        sandbox = SandboxCluster.start();
        client = sandbox.client();
        Path kubeconfig = sandbox.kubeconfigFile(folder.resolve("kubeconfig.yaml"));
        kubectl = new Kubectl(kubeconfig, Files.createDirectories(folder.resolve("kubectl-cache")));
        SampleApp.install(client);
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void getNamespaces() {
        String out = kubectl.run("get", "ns", "-o", "name").assertSuccess().stdout();
        List<String> names = Arrays.asList(out.strip().split("\n"));
        assertTrue(names.contains("namespace/default"), out);
        assertTrue(names.contains("namespace/kube-system"), out);
        assertTrue(names.contains("namespace/" + SampleApp.NAMESPACE), out);
    }

    @Test
    void versionShowsTheSandboxServer() {
        String out = kubectl.run("version").assertSuccess().stdout();
        assertTrue(out.contains("Server Version: " + ServerVersion.GIT_VERSION), out);
    }

    @Test
    void apiResourcesListsBuiltInTypesAndCustomResourcesCreatedAtRunTime() {
        String before = kubectl.run("api-resources").assertSuccess().stdout();
        assertTrue(line(before, "deployments").contains("apps/v1"), before);
        assertTrue(line(before, "deployments").contains("deploy"), before);
        assertTrue(line(before, "configmaps").contains("ConfigMap"), before);
        assertTrue(line(before, "customresourcedefinitions").contains("crd,crds"), before);
        assertTrue(line(before, "volumesnapshots").contains("snapshot.storage.k8s.io/v1"), before);
        assertFalse(before.contains("gadgets"), before);

        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("gadgets.kubectl.lifeboat.io").endMetadata()
                .withNewSpec().withGroup("kubectl.lifeboat.io").withScope("Cluster")
                .withNewNames().withKind("Gadget").withPlural("gadgets").withSingular("gadget").endNames()
                .addNewVersion().withName("v1alpha1").withServed(true).withStorage(true).endVersion()
                .endSpec().build()).create();

        String after = kubectl.run("api-resources").assertSuccess().stdout();
        String gadgets = line(after, "gadgets");
        assertTrue(gadgets.contains("kubectl.lifeboat.io/v1alpha1"), after);
        assertTrue(gadgets.contains("false"), "cluster scoped: " + gadgets);
        assertTrue(gadgets.contains("Gadget"), after);
        assertTrue(line(after, "widgets").contains("demo.lifeboat.io/v1"), after);
    }

    @Test
    void getDeploymentsInAllNamespacesShowsTheSampleApp() {
        String out = kubectl.run("get", "deploy", "-A").assertSuccess().stdout();
        for (String deployment : SampleApp.DEPLOYMENTS) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(SampleApp.NAMESPACE) && l.contains(" " + deployment + " ")),
                    out);
        }
        String widgets = kubectl.run("get", "widgets", "-n", SampleApp.NAMESPACE, "-o", "name").assertSuccess().stdout();
        assertEquals("widget.demo.lifeboat.io/alpha\nwidget.demo.lifeboat.io/beta\n", widgets);
    }

    @Test
    void createReadPatchReplaceAndDeleteFromManifests(@TempDir Path folder) throws IOException {
        Path manifest = folder.resolve("manifest.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: from-kubectl
                  namespace: demo
                data:
                  greeting: hello
                ---
                apiVersion: demo.lifeboat.io/v1
                kind: Widget
                metadata:
                  name: gamma
                  namespace: demo
                spec:
                  colour: green
                """);
        String created = kubectl.run("create", "-f", manifest.toString()).assertSuccess().stdout();
        assertTrue(created.contains("configmap/from-kubectl created"), created);
        assertTrue(created.contains("widget.demo.lifeboat.io/gamma created"), created);

        assertEquals("hello", kubectl.run("get", "configmap", "from-kubectl", "-n", "demo",
                "-o", "jsonpath={.data.greeting}").assertSuccess().stdout());
        ConfigMap stored = client.configMaps().inNamespace("demo").withName("from-kubectl").get();
        assertNotNull(stored);
        assertEquals("hello", stored.getData().get("greeting"));
        GenericKubernetesResource gamma = client.genericKubernetesResources(SampleApp.widgetContext())
                .inNamespace("demo").withName("gamma").get();
        assertEquals("green", ((java.util.Map<?, ?>) gamma.getAdditionalProperties().get("spec")).get("colour"));

        Kubectl.Result again = kubectl.run("create", "-f", manifest.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.stderr().contains("AlreadyExists"), again.stderr());

        kubectl.run("patch", "configmap", "from-kubectl", "-n", "demo", "--type=merge",
                "-p", "{\"data\":{\"patched\":\"yes\"}}").assertSuccess();
        kubectl.run("label", "configmap", "from-kubectl", "-n", "demo", "colour=red").assertSuccess();
        ConfigMap patched = client.configMaps().inNamespace("demo").withName("from-kubectl").get();
        assertEquals("yes", patched.getData().get("patched"));
        assertEquals("red", patched.getMetadata().getLabels().get("colour"));

        Files.writeString(manifest, Files.readString(manifest).replace("hello", "goodbye"));
        kubectl.run("replace", "-f", manifest.toString()).assertSuccess();
        assertEquals("goodbye", client.configMaps().inNamespace("demo").withName("from-kubectl").get()
                .getData().get("greeting"));

        kubectl.run("delete", "-f", manifest.toString()).assertSuccess();
        Kubectl.Result missing = kubectl.run("get", "configmap", "from-kubectl", "-n", "demo");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("NotFound"), missing.stderr());
    }

    @Test
    void getAllTypesAsJsonPagesThroughLists() {
        String out = kubectl.run("get", "configmaps,secrets,widgets", "-A", "-o", "name", "--chunk-size=2")
                .assertSuccess().stdout();
        for (String configMap : SampleApp.CONFIG_MAPS) {
            assertTrue(out.contains("configmap/" + configMap), out);
        }
        assertTrue(out.contains("secret/" + SampleApp.SECRET), out);
        assertTrue(out.contains("widget.demo.lifeboat.io/alpha"), out);
    }

    private static String line(String table, String resource) {
        return table.lines().filter(l -> l.startsWith(resource + " ")).findFirst().orElse("");
    }
}

package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small application of the project's own making, to back up and restore. In namespace {@value #NAMESPACE}: two
 * Deployments, two Services (one of type NodePort), two ConfigMaps, a Secret, a ServiceAccount with a Role and a
 * RoleBinding, a PersistentVolumeClaim bound to a CSI PersistentVolume of StorageClass {@value #STORAGE_CLASS}, and
 * two custom resources of kind {@value #WIDGET_KIND}. Cluster-wide: the StorageClass, the PersistentVolume, a
 * ClusterRole and the Widget CustomResourceDefinition.
 *
 * <p>{@link #install(KubernetesClient)} creates what is missing and replaces what exists, so it may run twice.
 */
public final class SampleApp {
    public static final String NAMESPACE = "demo";
    public static final String STORAGE_CLASS = "gp2";
    public static final String CSI_DRIVER = "ebs.csi.aws.com";
    public static final String PERSISTENT_VOLUME = "pv-demo-data";
    public static final String PERSISTENT_VOLUME_CLAIM = "data";
    public static final String VOLUME_HANDLE = "vol-0a1b2c3d4e5f60718";
    public static final String SNAPSHOT_CLASS = "ebs-snapshots";
    public static final String WIDGET_GROUP = "demo.lifeboat.io";
    public static final String WIDGET_VERSION = "v1";
    public static final String WIDGET_KIND = "Widget";
    public static final String WIDGET_PLURAL = "widgets";
    public static final String WIDGET_CRD = WIDGET_PLURAL + "." + WIDGET_GROUP;
    public static final List<String> DEPLOYMENTS = List.of("web", "api");
    public static final List<String> SERVICES = List.of("web", "api");
    public static final List<String> CONFIG_MAPS = List.of("web-config", "api-config");
    public static final String SECRET = "api-credentials";
    public static final String SERVICE_ACCOUNT = "api";
    public static final String ROLE = "config-reader";
    public static final String ROLE_BINDING = "api-config-reader";
    public static final String CLUSTER_ROLE = "demo-widget-viewer";
    public static final List<String> WIDGETS = List.of("alpha", "beta");
    public static final int NODE_PORT = 30080;
    /** Every object of the application carries this label with value {@value #NAMESPACE}. */
    public static final String PART_OF_LABEL = "app.kubernetes.io/part-of";

    private static final String CAPACITY = "10Gi";

    private SampleApp() {
    }

    /** Where the Widget custom resources are served, for generic clients. */
    public static ResourceDefinitionContext widgetContext() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(WIDGET_GROUP)
                .withVersion(WIDGET_VERSION)
                .withKind(WIDGET_KIND)
                .withPlural(WIDGET_PLURAL)
                .withNamespaced(true)
                .build();
    }

    /** Creates (or replaces) every object of the application; returns them as stored, in the order written. */
    public static List<HasMetadata> install(KubernetesClient client) {
        List<HasMetadata> installed = new ArrayList<>();
        for (HasMetadata object : builtInObjects()) {
            installed.add(client.resource(object).createOr(NonDeletingOperation::update));
        }
        installed.add(client.apiextensions().v1().customResourceDefinitions().resource(widgetDefinition())
                .createOr(NonDeletingOperation::update));
        for (GenericKubernetesResource widget : widgets()) {
            installed.add(client.genericKubernetesResources(widgetContext()).inNamespace(NAMESPACE).resource(widget)
                    .createOr(NonDeletingOperation::update));
        }
        installed.add(client.genericKubernetesResources(SnapshotController.CLASSES).resource(snapshotClass())
                .createOr(NonDeletingOperation::update));
        bindVolumeToClaim(client);
        return installed;
    }

    /** How many objects {@link #install} creates: the built-in ones, the CRD, its widgets and the snapshot class. */
    public static int objectCount() {
        return builtInObjects().size() + 1 + widgets().size() + 1;
    }

    /** The default VolumeSnapshotClass of the CSI driver, as a cluster with the external snapshotter has. */
    public static GenericKubernetesResource snapshotClass() {
        return new GenericKubernetesResourceBuilder().withApiVersion("snapshot.storage.k8s.io/v1")
                .withKind("VolumeSnapshotClass")
                .withNewMetadata().withName(SNAPSHOT_CLASS).withLabels(partOf())
                .withAnnotations(Map.of("snapshot.storage.kubernetes.io/is-default-class", "true")).endMetadata()
                .withAdditionalProperties(Map.of("driver", CSI_DRIVER, "deletionPolicy", "Delete"))
                .build();
    }

    /** A bound PersistentVolume's claimRef carries the claim's uid, which exists only once the claim does. */
    private static void bindVolumeToClaim(KubernetesClient client) {
        String claimUid = client.persistentVolumeClaims().inNamespace(NAMESPACE).withName(PERSISTENT_VOLUME_CLAIM)
                .get().getMetadata().getUid();
        client.persistentVolumes().withName(PERSISTENT_VOLUME).edit(volume -> new PersistentVolumeBuilder(volume)
                .editSpec().editClaimRef().withUid(claimUid).endClaimRef().endSpec()
                .build());
    }

    /** The objects of built-in types, namespace first, in an order a restore could create them. */
    public static List<HasMetadata> builtInObjects() {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).withLabels(partOf()).endMetadata()
                .build());
        objects.add(new StorageClassBuilder()
                .withNewMetadata().withName(STORAGE_CLASS).withLabels(partOf()).endMetadata()
                .withProvisioner(CSI_DRIVER)
                .withParameters(Map.of("type", "gp2", "fsType", "ext4"))
                .withReclaimPolicy("Delete")
                .withVolumeBindingMode("WaitForFirstConsumer")
                .withAllowVolumeExpansion(true)
                .build());
        objects.add(new ClusterRoleBuilder()
                .withNewMetadata().withName(CLUSTER_ROLE).withLabels(partOf()).endMetadata()
                .addNewRule().withApiGroups(WIDGET_GROUP).withResources(WIDGET_PLURAL)
                .withVerbs("get", "list", "watch").endRule()
                .build());
        objects.add(new ServiceAccountBuilder().withNewMetadata().withName(SERVICE_ACCOUNT).withNamespace(NAMESPACE)
                .withLabels(partOf()).endMetadata().build());
        objects.add(new RoleBuilder()
                .withNewMetadata().withName(ROLE).withNamespace(NAMESPACE).withLabels(partOf()).endMetadata()
                .addNewRule().withApiGroups("").withResources("configmaps").withVerbs("get", "list", "watch").endRule()
                .build());
        objects.add(new RoleBindingBuilder()
                .withNewMetadata().withName(ROLE_BINDING).withNamespace(NAMESPACE).withLabels(partOf()).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(ROLE)
                .endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(SERVICE_ACCOUNT).withNamespace(NAMESPACE)
                .endSubject()
                .build());
        objects.add(configMap("web-config", Map.of("nginx.conf", "server { listen 8080; location / { root /srv; } }",
                "greeting", "Hello from Lifeboat")));
        objects.add(configMap("api-config", Map.of("LOG_LEVEL", "info", "DATABASE_URL",
                "postgres://db.demo.svc:5432/widgets")));
        objects.add(new SecretBuilder()
                .withNewMetadata().withName(SECRET).withNamespace(NAMESPACE).withLabels(partOf()).endMetadata()
                .withType("Opaque")
                .withData(Map.of("username", base64("widget-api"), "password", base64("s3cr3t-sandbox-only")))
                .build());
        objects.add(new PersistentVolumeBuilder()
                .withNewMetadata().withName(PERSISTENT_VOLUME).withLabels(partOf()).endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", new Quantity(CAPACITY)))
                .withAccessModes("ReadWriteOnce")
                .withPersistentVolumeReclaimPolicy("Delete")
                .withStorageClassName(STORAGE_CLASS)
                .withNewCsi().withDriver(CSI_DRIVER).withVolumeHandle(VOLUME_HANDLE).withFsType("ext4").endCsi()
                .withClaimRef(new ObjectReferenceBuilder().withApiVersion("v1").withKind("PersistentVolumeClaim")
                        .withNamespace(NAMESPACE).withName(PERSISTENT_VOLUME_CLAIM).build())
                .endSpec()
                .withNewStatus().withPhase("Bound").endStatus()
                .build());
        objects.add(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(PERSISTENT_VOLUME_CLAIM).withNamespace(NAMESPACE).withLabels(partOf())
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(STORAGE_CLASS)
                .withVolumeName(PERSISTENT_VOLUME)
                .withNewResources().withRequests(Map.of("storage", new Quantity(CAPACITY))).endResources()
                .endSpec()
                .withNewStatus().withPhase("Bound").withAccessModes("ReadWriteOnce")
                .withCapacity(Map.of("storage", new Quantity(CAPACITY))).endStatus()
                .build());
        objects.add(deployment("web", "nginx:1.27-alpine", 8080, 2, "web-config", null));
        objects.add(deployment("api", "ghcr.io/lifeboat/widget-api:0.1.0", 9090, 1, "api-config",
                PERSISTENT_VOLUME_CLAIM));
        objects.add(new ServiceBuilder()
                .withNewMetadata().withName("web").withNamespace(NAMESPACE).withLabels(partOf()).endMetadata()
                .withNewSpec()
                .withType("NodePort")
                .withSelector(Map.of("app", "web"))
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).withNewTargetPort(8080)
                .withNodePort(NODE_PORT).endPort()
                .endSpec()
                .build());
        objects.add(new ServiceBuilder()
                .withNewMetadata().withName("api").withNamespace(NAMESPACE).withLabels(partOf()).endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Map.of("app", "api"))
                .addNewPort().withName("http").withProtocol("TCP").withPort(9090).withNewTargetPort(9090).endPort()
                .endSpec()
                .build());
        return objects;
    }

    public static CustomResourceDefinition widgetDefinition() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(WIDGET_CRD).withLabels(partOf()).endMetadata()
                .withNewSpec()
                .withGroup(WIDGET_GROUP)
                .withScope("Namespaced")
                .withNewNames().withKind(WIDGET_KIND).withPlural(WIDGET_PLURAL).withSingular("widget")
                .withListKind(WIDGET_KIND + "List").withShortNames("wdg").endNames()
                .addNewVersion()
                .withName(WIDGET_VERSION).withServed(true).withStorage(true)
                .withNewSchema().withOpenAPIV3Schema(new JSONSchemaPropsBuilder()
                        .withType("object")
                        .addToProperties("spec", new JSONSchemaPropsBuilder().withType("object")
                                .withXKubernetesPreserveUnknownFields(true).build())
                        .build())
                .endSchema()
                .endVersion()
                .endSpec()
                .build();
    }

    public static List<GenericKubernetesResource> widgets() {
        List<GenericKubernetesResource> widgets = new ArrayList<>();
        widgets.add(widget("alpha", "blue", 3));
        widgets.add(widget("beta", "orange", 5));
        return widgets;
    }

    private static GenericKubernetesResource widget(String name, String colour, int size) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("colour", colour);
        spec.put("size", size);
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(WIDGET_GROUP + "/" + WIDGET_VERSION)
                .withKind(WIDGET_KIND)
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(partOf()).endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    private static HasMetadata configMap(String name, Map<String, String> data) {
        return new ConfigMapBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(partOf()).endMetadata()
                .withData(data)
                .build();
    }

    private static HasMetadata deployment(String name, String image, int port, int replicas, String configMap,
                                          String claim) {
        Map<String, String> labels = Map.of("app", name, PART_OF_LABEL, NAMESPACE);
        DeploymentBuilder builder = new DeploymentBuilder();
        builder.withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(labels).endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withServiceAccountName(SERVICE_ACCOUNT)
                .addNewContainer()
                .withName(name).withImage(image)
                .addNewPort().withName("http").withContainerPort(port).endPort()
                .addNewEnvFrom().withNewConfigMapRef().withName(configMap).endConfigMapRef().endEnvFrom()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec();
        if (claim != null) {
            builder.editSpec().editTemplate().editSpec()
                    .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim)
                    .endPersistentVolumeClaim().endVolume()
                    .editFirstContainer().addNewVolumeMount().withName("data").withMountPath("/var/lib/widgets")
                    .endVolumeMount().endContainer()
                    .endSpec().endTemplate().endSpec();
        }
        return builder.build();
    }

    private static Map<String, String> partOf() {
        return Map.of(PART_OF_LABEL, NAMESPACE);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}

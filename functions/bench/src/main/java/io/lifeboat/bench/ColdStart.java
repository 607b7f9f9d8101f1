package io.lifeboat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.sandbox.kube.SandboxCluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cold start of each Lambda function, from its zip: the zip is unpacked into a folder that stands for /var/task and
 * the function is started as the java17 runtime starts it ({@link LambdaJavaRuntime}), against a Lambda Runtime API of
 * the benchmark's own on loopback ({@link RuntimeApiStandIn}), which hands it one realistic event. The functions reach
 * DynamoDB Local, s3proxy, a sandbox API server and a stand-in for Lambda's Invoke and EventBridge, all on loopback
 * ({@link ColdStartWorld}); every first answer is checked to be the real one (a list of locations, a location found
 * Available, a backup and a restore Completed, a schedule started, an expired backup deleted).
 *
 * <p>Measured for each function: process start to the runtime's first {@code /invocation/next} (init), that to the
 * answer posted (the first invocation), process start to the answer (first answer), and the process's peak RSS. Each
 * function is started {@code --runs} times in each variant, variants taking turns, and the medians are printed as a
 * markdown table. Variants:
 * <ul>
 *   <li>{@code on-demand}: as deployed, started without SnapStart (run-restore's case, and every function's before a
 *   version is published);</li>
 *   <li>{@code snapstart}: started as SnapStart starts a version at publish time (the runtime runs the CRaC
 *   beforeCheckpoint hooks after init, then would take the snapshot), with Lifeboat's priming turned off;</li>
 *   <li>{@code snapstart-primed}: the same with the priming hook on ({@code lifeboat.snapstart.priming}).</li>
 * </ul>
 * No snapshot is taken or restored here: with SnapStart a caller waits for the restore plus the first invocation, and
 * only the first invocation can be measured; the init then runs once, when a version is published.
 *
 * <p>Run from the checkout's root after a build of the zips and of this module:
 * {@code java -cp 'functions/bench/target/classes:functions/bench/target/lib/*' io.lifeboat.bench.ColdStart --runs 5}
 * ({@code --functions api,run-backup} for some; {@code --variants on-demand,snapstart-primed}; {@code --objects N} in
 * the sandbox, 200 by default). Exits 1 when a function did not give its real answer or an unexpected AWS request
 * was made.
 */
public final class ColdStart {
    static final String API_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    static final String WORKER_HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ANSWER_TIMEOUT_SECONDS = 180;

    /** One function as Terraform deploys it (terraform/functions.tf): its zip, memory and handler. */
    record Function(String name, String zip, int memoryMb, String handler) {
    }

    static final List<Function> FUNCTIONS = List.of(
            new Function("api", "aws-api", 1024, API_HANDLER),
            new Function("validate-location", "aws-workers", 512, WORKER_HANDLER),
            new Function("run-backup", "aws-workers", 2048, WORKER_HANDLER),
            new Function("run-restore", "aws-workers", 2048, WORKER_HANDLER),
            new Function("tick-schedules", "aws-workers", 512, WORKER_HANDLER),
            new Function("sweep-expired", "aws-workers", 1024, WORKER_HANDLER));

    /** How a function is started: Lambda's init type, variables of its own, and JVM options added to JAVA_TOOL_OPTIONS. */
    record Variant(String name, String initType, Map<String, String> environment, List<String> toolOptions) {
        Variant(String name, String initType, Map<String, String> environment) {
            this(name, initType, environment, List.of());
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("on-demand", "on-demand", Map.of()),
            new Variant("snapstart", "snap-start", Map.of("LIFEBOAT_SNAPSTART_PRIMING", "false")),
            new Variant("snapstart-primed", "snap-start", Map.of("LIFEBOAT_SNAPSTART_PRIMING", "true")));

    /** One cold start, in milliseconds and KiB. */
    record Measure(double initMs, double invokeMs, double firstAnswerMs, long peakRssKb) {
    }

    private final Path work;
    private final LambdaJavaRuntime runtime;
    private final ColdStartWorld world;
    private final Map<String, Path> taskRoots = new HashMap<>();
    private final List<String> failures = new ArrayList<>();
    private int schedulesDue;

    private ColdStart(Path work, LambdaJavaRuntime runtime, ColdStartWorld world) {
        this.work = work;
        this.runtime = runtime;
        this.world = world;
    }

    public static void main(String[] args) throws Exception {
        int runs = 3;
        int objects = 200;
        boolean record = false;
        List<String> only = FUNCTIONS.stream().map(Function::name).toList();
        List<String> variants = VARIANTS.stream().map(Variant::name).toList();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--objects" -> objects = Integer.parseInt(args[++i]);
                case "--functions" -> only = Arrays.asList(args[++i].split(","));
                case "--variants" -> variants = Arrays.asList(args[++i].split(","));
                case "--record-classes" -> record = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use --runs R --objects N --functions a,b --variants x,y");
            }
        }
        List<Function> functions = selected(only);
        List<Variant> chosen = new ArrayList<>();
        for (String name : variants) {
            chosen.add(VARIANTS.stream().filter(v -> v.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown variant " + name)));
        }
        Path work = Files.createTempDirectory("lifeboat-coldstart");
        LambdaJavaRuntime runtime = LambdaJavaRuntime.of(Path.of("functions/bench/target/lambda-runtime"),
                Path.of("terraform/functions.tf"));
        boolean ok;
        try (ColdStartWorld world = new ColdStartWorld(work, objects)) {
            ColdStart bench = new ColdStart(work, runtime, world);
            ok = record ? bench.recordClasses(functions) : bench.run(functions, chosen, runs, objects);
        }
        System.exit(ok ? 0 : 1);
    }

    /** The functions asked for, with run-backup added when run-restore or sweep-expired needs its backup. */
    private static List<Function> selected(List<String> names) {
        boolean needsBackup = names.contains("run-restore") || names.contains("sweep-expired");
        List<Function> functions = new ArrayList<>();
        for (Function f : FUNCTIONS) {
            if (names.contains(f.name()) || (needsBackup && f.name().equals("run-backup"))) {
                functions.add(f);
            }
        }
        for (String name : names) {
            if (FUNCTIONS.stream().noneMatch(f -> f.name().equals(name))) {
                throw new IllegalArgumentException("unknown function " + name);
            }
        }
        return functions;
    }

    private boolean run(List<Function> functions, List<Variant> variants, int runs, int objects) throws Exception {
        System.out.println("load average at the start: " + loadAverage());
        System.out.printf("cold starts: %d run(s) of each function in each variant, medians; JAVA_TOOL_OPTIONS \"%s\" "
                + "(terraform/functions.tf); sandbox of %,d objects; %d cores; java %s%n", runs,
                runtime.javaToolOptions(), objects, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        Map<String, List<Measure>> measures = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            for (Variant variant : variants) {
                String tag = variant.name().replace("snapstart-primed", "sp").replace("snapstart", "s")
                        .replace("on-demand", "od") + "-" + run;
                for (Function function : functions) {
                    Measure m = coldStart(function, variant, tag);
                    if (m != null) {
                        measures.computeIfAbsent(function.name() + "|" + variant.name(), k -> new ArrayList<>()).add(m);
                        System.out.printf("run %d %s %s: init %.0f ms, first invocation %.0f ms, first answer %.0f ms, "
                                + "peak RSS %d MB%n", run, variant.name(), function.name(), m.initMs(), m.invokeMs(),
                                m.firstAnswerMs(), m.peakRssKb() / 1024);
                    }
                }
            }
        }
        System.out.println();
        System.out.println("| function | memory MB | variant | init ms | first invocation ms | start to first answer ms | peak RSS MB |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Function function : functions) {
            for (Variant variant : variants) {
                List<Measure> list = measures.getOrDefault(function.name() + "|" + variant.name(), List.of());
                if (list.isEmpty()) {
                    continue;
                }
                System.out.printf("| %s | %d | %s | %.0f | %.0f | %.0f | %d |%n", function.name(), function.memoryMb(),
                        variant.name(), median(list.stream().map(Measure::initMs).toList()),
                        median(list.stream().map(Measure::invokeMs).toList()),
                        median(list.stream().map(Measure::firstAnswerMs).toList()),
                        list.stream().mapToLong(Measure::peakRssKb).max().orElse(0) / 1024);
            }
        }
        System.out.println();
        System.out.printf("Lambda invocations answered by the stand-in: %d; EventBridge entries: %d%n",
                world.aws().invocations(), world.aws().events());
        if (!world.aws().unexpected().isEmpty()) {
            failures.add("unexpected AWS requests: " + world.aws().unexpected());
        }
        System.out.println("load average at the end: " + loadAverage());
        failures.forEach(f -> System.out.println("FAILED: " + f));
        return failures.isEmpty();
    }

    /**
     * Writes each zip's priming list ({@code src/main/resources/META-INF/lifeboat-priming-classes.txt} of aws-api and
     * aws-workers): the classes from the zip's own folder and jars that its functions loaded up to their first answer,
     * one cold start each, as {@code -Xlog:class+load} saw them.
     */
    private boolean recordClasses(List<Function> functions) throws Exception {
        Map<String, java.util.TreeSet<String>> byZip = new LinkedHashMap<>();
        for (Function function : functions) {
            Path log = work.resolve("class-load-" + function.name() + ".log");
            Variant recording = new Variant("on-demand", "on-demand", Map.of(),
                    List.of("-Xlog:class+load=info:file=" + log));
            if (coldStart(function, recording, "rec") == null) {
                return false;
            }
            String source = "source: file:" + taskRoot(function.zip());
            java.util.TreeSet<String> classes = byZip.computeIfAbsent(function.zip(), z -> new java.util.TreeSet<>());
            for (String line : Files.readAllLines(log)) {
                int at = line.indexOf(source);
                int name = line.indexOf("] ");
                if (at > 0 && name > 0) {
                    classes.add(line.substring(name + 2, line.indexOf(' ', name + 2)));
                }
            }
        }
        for (Map.Entry<String, java.util.TreeSet<String>> zip : byZip.entrySet()) {
            Path list = Path.of("functions", zip.getKey(), "src/main/resources/META-INF/lifeboat-priming-classes.txt");
            Files.createDirectories(list.getParent());
            List<String> lines = new ArrayList<>(List.of(
                    "# Classes that SnapStartPriming loads before the SnapStart snapshot: those of this zip that its functions",
                    "# loaded up to their first answer. Written by: java -cp 'functions/bench/target/classes:functions/bench/target/lib/*'",
                    "#   io.lifeboat.bench.ColdStart --record-classes   (from the checkout's root, after a build of the zips)"));
            lines.addAll(zip.getValue());
            Files.write(list, lines);
            System.out.printf("%s: %,d classes written to %s%n", zip.getKey(), zip.getValue().size(), list);
        }
        return true;
    }

    /** One cold start of {@code function}: its event written, the process started, measured, checked and ended. */
    private Measure coldStart(Function function, Variant variant, String tag) throws Exception {
        String backup = "b-" + tag;
        SandboxCluster target = null;
        String event;
        switch (function.name()) {
            case "api" -> event = apiEvent("/v1/projects/" + ColdStartWorld.PROJECT + "/locations");
            case "validate-location" -> event = recordEvent(ColdStartWorld.LOCATION);
            case "run-backup" -> {
                world.requestBackup(backup);
                event = recordEvent(backup);
            }
            case "run-restore" -> {
                target = world.requestRestore("r-" + tag, backup, "t-" + tag);
                event = recordEvent("r-" + tag);
            }
            case "tick-schedules" -> {
                world.makeScheduleDue(++schedulesDue);
                event = SCHEDULED_EVENT;
            }
            case "sweep-expired" -> {
                world.expire(backup);
                event = SCHEDULED_EVENT;
            }
            default -> throw new IllegalStateException(function.name());
        }
        Path taskRoot = taskRoot(function.zip());
        Path log = work.resolve("logs").resolve(function.name() + "-" + tag + ".log");
        Files.createDirectories(log.getParent());
        try (RuntimeApiStandIn api = RuntimeApiStandIn.serving(event)) {
            Map<String, String> env = runtime.environment(taskRoot, "lifeboat-" + function.name(), function.memoryMb(),
                    function.handler(), api.address(), variant.initType());
            env.putAll(world.environment());
            if (function.handler().equals(WORKER_HANDLER)) {
                env.put("QUARKUS_FUNQY_EXPORT", function.name());
            }
            env.putAll(variant.environment());
            env = LambdaJavaRuntime.withToolOptions(env, variant.toolOptions());
            ProcessBuilder builder = new ProcessBuilder(runtime.command(function.memoryMb(), function.handler()))
                    .directory(taskRoot.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            long start = System.nanoTime();
            Process process = builder.start();
            RuntimeApiStandIn.Outcome outcome;
            long rss;
            try {
                outcome = api.await(process, ANSWER_TIMEOUT_SECONDS);
                rss = LambdaJavaRuntime.peakRssKb(process.pid());
            } finally {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            String problem = outcome == null ? "no answer (the process ended, or " + ANSWER_TIMEOUT_SECONDS + " s passed)"
                    : outcome.error() ? "error: " + outcome.body() : check(function.name(), outcome.body(), backup);
            if (problem != null) {
                failures.add(function.name() + " (" + variant.name() + ", " + tag + "): " + problem + "; log: " + log);
                System.out.println("FAILED " + function.name() + " " + tag + ": " + problem);
                return null;
            }
            return new Measure(millis(outcome.firstNext() - start), millis(outcome.answered() - outcome.firstNext()),
                    millis(outcome.answered() - start), rss);
        } finally {
            if (target != null) {
                target.close();
            }
        }
    }

    /** Null when the answer is the real one for this function's event, else what is wrong with it. */
    private String check(String function, String body, String backup) throws Exception {
        JsonNode answer = JSON.readTree(body);
        boolean real = switch (function) {
            case "api" -> {
                JsonNode page = apiBody(answer);
                yield answer.path("statusCode").asInt() == 200 && page.path("items").size() == 1
                        && page.path("items").get(0).path("name").asText().equals(ColdStartWorld.LOCATION);
            }
            case "validate-location" -> answer.path("status").path("phase").asText().equals("Available");
            case "run-backup", "run-restore" -> answer.path("phase").asText().equals("Completed");
            case "tick-schedules" -> answer.path("started").size() == 1;
            case "sweep-expired" -> answer.path("deleted").toString().contains(ColdStartWorld.PROJECT + "/" + backup)
                    && world.backupPhase(backup).equals("Gone");
            default -> false;
        };
        return real ? null : "not the expected answer: " + abbreviate(body);
    }

    private static JsonNode apiBody(JsonNode response) throws Exception {
        String body = response.path("body").asText("");
        if (response.path("isBase64Encoded").asBoolean()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
    }

    /** The zip unpacked once into a task folder, as Lambda unpacks a deployed zip once for all its cold starts. */
    private Path taskRoot(String zip) throws Exception {
        Path root = taskRoots.get(zip);
        if (root == null) {
            root = work.resolve("task-" + zip);
            LambdaJavaRuntime.unzip(Path.of("functions", zip, "target", "function.zip"), root);
            taskRoots.put(zip, root);
        }
        return root;
    }

    /**
     * An API Gateway HTTP API (payload 2.0) event: a GET with the claims API Gateway's JWT authorizer passes, whose
     * projects claim lists the benchmark's project.
     */
    static String apiEvent(String path) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.set("headers", JSON.valueToTree(Map.of("accept", "application/json", "host", "api.example",
                "user-agent", "coldstart-bench")));
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "123456789012");
        context.put("apiId", "bench");
        context.put("domainName", "api.example");
        context.put("requestId", "bench-" + System.nanoTime());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        ObjectNode http = context.putObject("http");
        http.put("method", "GET");
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        http.put("userAgent", "coldstart-bench");
        ObjectNode claims = context.putObject("authorizer").putObject("jwt").putObject("claims");
        claims.put("sub", "bench");
        claims.put("lifeboat:projects", "[" + ColdStartWorld.PROJECT + "]");
        event.put("isBase64Encoded", false);
        return event.toString();
    }

    /** {@code {"project", "name"}}: what the API and the schedules send to validate-location, run-backup and run-restore. */
    private static String recordEvent(String name) {
        return JSON.createObjectNode().put("project", ColdStartWorld.PROJECT).put("name", name).toString();
    }

    /** What an EventBridge schedule rule delivers to tick-schedules and sweep-expired. */
    static final String SCHEDULED_EVENT = """
            {"version":"0","id":"5a7d3c1e-0000-4000-8000-000000000001","detail-type":"Scheduled Event",
             "source":"aws.events","account":"123456789012","time":"2026-11-23T12:00:00Z","region":"us-east-1",
             "resources":["arn:aws:events:us-east-1:123456789012:rule/lifeboat-schedule"],"detail":{}}""";

    private static String abbreviate(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}

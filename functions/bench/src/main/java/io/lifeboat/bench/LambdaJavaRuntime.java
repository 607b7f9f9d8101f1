package io.lifeboat.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * How AWS Lambda's managed java17 runtime starts a function from a zip, done on this machine. The zip is unpacked into
 * a folder that stands for /var/task and is the process's working directory; the runtime's own client
 * ({@code aws-lambda-java-runtime-interface-client}, kept apart from the function's classes as Lambda keeps it in
 * /var/runtime/lib) is the only classpath, and its {@code AWSLambda} main loads the handler from the task folder
 * (the folder, then {@code lib/*.jar}) through a class loader of its own. The JVM options are those the java17
 * runtime's bootstrap passes (as printed from inside Lambda): a heap of 85% of the function's memory, the serial GC,
 * class data sharing, C1 only, the CRaC compatibility property that SnapStart hooks use; JAVA_TOOL_OPTIONS, as
 * Terraform sets it, comes before them, so a flag in it that the bootstrap also passes loses to the bootstrap's.
 * Left out: the Log4Shell hot-patch agent and Lambda's own CDS archive of its runtime (this JDK's default archive stands
 * in for it), and Lambda's CPU share, which grows with memory (a full core at 1,769 MB): here every function has the
 * machine's cores.
 */
final class LambdaJavaRuntime {
    static final String MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final Pattern TOOL_OPTIONS = Pattern.compile("JAVA_TOOL_OPTIONS\\s*=\\s*\"([^\"]*)\"");

    private final Path runtimeJars;
    private final String javaToolOptions;

    private LambdaJavaRuntime(Path runtimeJars, String javaToolOptions) {
        this.runtimeJars = runtimeJars;
        this.javaToolOptions = javaToolOptions;
    }

    /**
     * The runtime client's jars from {@code runtimeJars} (the bench module's build copies them there), and
     * JAVA_TOOL_OPTIONS as {@code functions.tf} sets it.
     */
    static LambdaJavaRuntime of(Path runtimeJars, Path functionsTf) throws IOException {
        if (!Files.isDirectory(runtimeJars)) {
            throw new IllegalStateException(runtimeJars + " is missing: build functions/bench first");
        }
        Matcher m = TOOL_OPTIONS.matcher(Files.readString(functionsTf));
        if (!m.find()) {
            throw new IllegalStateException("no JAVA_TOOL_OPTIONS in " + functionsTf);
        }
        return new LambdaJavaRuntime(runtimeJars.toAbsolutePath(), m.group(1));
    }

    String javaToolOptions() {
        return javaToolOptions;
    }

    /** The java command line of the bootstrap, for a function of {@code memoryMb} and its handler. */
    List<String> command(int memoryMb, String handler) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath;
        try (Stream<Path> jars = Files.list(runtimeJars)) {
            classpath = jars.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString)
                    .collect(Collectors.joining(":"));
        }
        List<String> command = new ArrayList<>(List.of(java,
                "-XX:MaxHeapSize=" + (memoryMb * 1024L * 85 / 100) + "k",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                "-Djava.net.preferIPv4Stack=true",
                "-XX:+ErrorFileToStderr",
                "-classpath", classpath, MAIN, handler));
        return command;
    }

    /**
     * The variables Lambda sets for every function, for this one: where the Runtime API is, its name, memory and
     * handler, how it was initialized ({@code on-demand} or {@code snap-start}), and placeholder credentials.
     */
    Map<String, String> environment(Path taskRoot, String functionName, int memoryMb, String handler,
                                    String runtimeApi, String initType) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeJars.toString());
        env.put("_HANDLER", handler);
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memoryMb));
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", initType);
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "bench");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
        return env;
    }

    /** Unpacks a function zip as Lambda does into /var/task. */
    static void unzip(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("zip entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    copy(in, target);
                }
            }
        }
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Files.write(target, in.readAllBytes());
    }

    /** VmHWM of a running process: the most resident memory it has had, in KiB; -1 when it is gone. */
    static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** A copy of {@code env} with more options at the end of JAVA_TOOL_OPTIONS. */
    static Map<String, String> withToolOptions(Map<String, String> env, List<String> more) {
        if (more.isEmpty()) {
            return env;
        }
        Map<String, String> copy = new HashMap<>(env);
        copy.put("JAVA_TOOL_OPTIONS", (env.getOrDefault("JAVA_TOOL_OPTIONS", "") + " " + String.join(" ", more)).trim());
        return copy;
    }
}

package io.lifeboat.sandbox.kube;

import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code /version} answers: a Kubernetes 1.32 server, marked as the sandbox in its gitVersion. */
public final class ServerVersion {
    public static final String MAJOR = "1";
    public static final String MINOR = "32";
    public static final String GIT_VERSION = "v1.32.0-lifeboat-sandbox";

    private ServerVersion() {
    }

    static Map<String, String> info() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("major", MAJOR);
        info.put("minor", MINOR);
        info.put("gitVersion", GIT_VERSION);
        info.put("gitCommit", "0000000000000000000000000000000000000000");
        info.put("gitTreeState", "clean");
        info.put("buildDate", "2024-12-11T18:04:20Z");
        info.put("goVersion", "go1.23.3");
        info.put("compiler", "gc");
        info.put("platform", "linux/amd64");
        return info;
    }
}

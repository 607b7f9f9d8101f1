package io.lifeboat.local;

import io.lifeboat.sandbox.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** Local mode on free ports and a fresh home folder, so that tests never collide with a running Lifeboat. */
public class LocalPorts implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        try {
            return Map.of(
                    "lifeboat.local.home", Files.createTempDirectory("lifeboat-local-test").toString(),
                    "lifeboat.local.dynamodb-port", String.valueOf(Ports.free()),
                    "lifeboat.local.s3-port", String.valueOf(Ports.free()),
                    "lifeboat.local.sandboxes", "sandbox,sandbox-2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}

package io.lifeboat.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build put the tools that sandbox servers run as child processes (target/tools of the checkout, see the
 * root pom). Tests get it as the system property {@code lifeboat.tools}; local mode runs from the checkout's root.
 */
public final class Tools {
    private Tools() {
    }

    public static Path folder() {
        String configured = System.getProperty("lifeboat.tools");
        Path folder = configured != null ? Path.of(configured) : Path.of("target", "tools");
        return folder.toAbsolutePath();
    }

    public static Path require(String file) {
        Path path = folder().resolve(file);
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: run the build from the checkout's root "
                    + "(./mvnw ...), which fetches it");
        }
        return path;
    }
}

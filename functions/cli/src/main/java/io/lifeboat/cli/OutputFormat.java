package io.lifeboat.cli;

import picocli.CommandLine.Option;

/**
 * The {@code -o table|json|yaml} option every command that shows records has. Table is for people; JSON and YAML
 * are the API's own answer, unchanged, for scripts.
 */
final class OutputFormat {
    enum Format { table, json, yaml }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.table;

    boolean table() {
        return format == Format.table;
    }
}

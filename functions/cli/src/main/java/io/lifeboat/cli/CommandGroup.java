package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * What the command groups (location, cluster, backup…) share: the root command's API client and streams, showing a
 * record or a list in the chosen format, and a usage error when no subcommand is given.
 */
abstract class CommandGroup implements Runnable {
    final Lifeboat root;

    @Spec
    CommandSpec spec;

    CommandGroup(Lifeboat root) {
        this.root = root;
    }

    /** The group alone ({@code lifeboat backup}): say which subcommands there are. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: one of "
                + String.join(", ", spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList()));
    }

    ApiClient api() {
        return root.api();
    }

    PrintWriter out() {
        return root.io().out();
    }

    Times times() {
        return root.times();
    }

    /** The record as JSON or YAML, or through {@code table} for people. */
    void show(OutputFormat output, JsonNode record, Consumer<JsonNode> table) {
        if (output.table()) {
            table.accept(record);
            out().flush();
        } else {
            Printer.print(out(), output.format, record);
        }
    }

    /** A list as {@code {"items": [...]}} in JSON or YAML, or as a table; "No X found." when it is empty. */
    void showList(OutputFormat output, JsonNode items, String noun, Table table) {
        if (!output.table()) {
            Printer.print(out(), output.format, ApiClient.object().set("items", items));
        } else if (table.isEmpty()) {
            out().println("No " + noun + " found.");
            out().flush();
        } else {
            table.print(out());
        }
    }
}

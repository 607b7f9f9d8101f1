package io.lifeboat.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.PrintWriter;

/** Writes the API's JSON as JSON (indented) or YAML, for {@code -o json} and {@code -o yaml}. */
final class Printer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    private Printer() {
    }

    static void print(PrintWriter out, OutputFormat.Format format, JsonNode node) {
        try {
            switch (format) {
                case json -> out.println(JSON.writeValueAsString(node));
                case yaml -> out.print(YAML.writeValueAsString(node));
                default -> throw new IllegalArgumentException("not a data format: " + format);
            }
            out.flush();
        } catch (JsonProcessingException e) {
            throw new CliException("cannot write the answer as " + format + ": " + e.getOriginalMessage());
        }
    }
}

package io.lifeboat.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * {@code lifeboat backup diff A B}: the counts, a line per type that changed, then the objects added (+), removed (-)
 * and changed (~), the first {@value #NAMES} of each kind unless {@code --details}, which also shows each change's
 * JSON Patch, one operation a line.
 */
final class BackupDiffDescription {
    static final int NAMES = 20;
    /** A patch value is cut to this many characters on its line. */
    static final int VALUE_WIDTH = 100;

    private final JsonNode diff;
    private final boolean details;

    BackupDiffDescription(JsonNode diff, boolean details) {
        this.diff = diff;
        this.details = details;
    }

    void print(PrintWriter out) {
        JsonNode summary = diff.path("summary");
        out.println("From backup '" + diff.path("from").asText() + "' to '" + diff.path("to").asText() + "': "
                + summary.path("added").asLong() + " added, " + summary.path("removed").asLong() + " removed, "
                + summary.path("changed").asLong() + " changed, " + summary.path("unchanged").asLong() + " unchanged.");
        JsonNode types = diff.path("types");
        if (types.isEmpty()) {
            out.flush();
            return;
        }
        out.println();
        Table table = new Table("RESOURCE", "ADDED", "REMOVED", "CHANGED", "UNCHANGED");
        types.forEach(t -> table.row(t.path("resource").asText(), t.path("added").size(), t.path("removed").size(),
                t.path("changed").size(), t.path("unchanged").asLong()));
        table.print(out);
        Details d = new Details();
        names(d, "Added", "+", "added");
        names(d, "Removed", "-", "removed");
        changed(d);
        if (diff.path("patchesOmitted").asLong() > 0) {
            d.blank().text(0, diff.path("patchesOmitted").asLong() + " changed objects are listed without their patch "
                    + "(past the diff's limit).");
        }
        StringWriter text = new StringWriter();
        d.print(new PrintWriter(text));
        out.print(text);
        out.flush();
    }

    private void names(Details d, String heading, String mark, String field) {
        long total = 0;
        for (JsonNode type : diff.path("types")) {
            total += type.path(field).size();
        }
        if (total == 0) {
            return;
        }
        d.heading(heading + " (" + total + ")");
        int shown = 0;
        for (JsonNode type : diff.path("types")) {
            for (JsonNode name : type.path(field)) {
                if (!details && shown == NAMES) {
                    d.text(1, "… and " + (total - shown) + " more (--details shows all)");
                    return;
                }
                d.text(1, mark + " " + type.path("resource").asText() + " " + name.asText());
                shown++;
            }
        }
    }

    private void changed(Details d) {
        long total = 0;
        for (JsonNode type : diff.path("types")) {
            total += type.path("changed").size();
        }
        if (total == 0) {
            return;
        }
        d.heading("Changed (" + total + ")");
        int shown = 0;
        for (JsonNode type : diff.path("types")) {
            for (JsonNode change : type.path("changed")) {
                if (!details && shown == NAMES) {
                    d.text(1, "… and " + (total - shown) + " more (--details shows all)");
                    return;
                }
                d.text(1, "~ " + type.path("resource").asText() + " " + change.path("name").asText());
                if (details) {
                    change.path("patch").forEach(op -> d.text(2, operation(op)));
                }
                shown++;
            }
        }
    }

    /** "replace /spec/replicas 3", "remove /metadata/labels/tier", "move /a from /b". */
    static String operation(JsonNode op) {
        StringBuilder line = new StringBuilder(op.path("op").asText()).append(' ').append(op.path("path").asText());
        if (op.has("from")) {
            line.append(" from ").append(op.path("from").asText());
        }
        if (op.has("value")) {
            String value = op.get("value").toString();
            line.append(' ').append(value.length() > VALUE_WIDTH ? value.substring(0, VALUE_WIDTH) + "…" : value);
        }
        return line.toString();
    }
}

package io.lifeboat.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A record shown the way {@code velero backup describe} shows one: "Label:  value" lines whose values line up within
 * each block, blank lines between blocks, and indented lines under a heading.
 */
final class Details {
    private record Line(int indent, String label, String text) {
    }

    private final List<Line> lines = new ArrayList<>();

    /** A "Label:  value" line; an empty or null value shows as "<none>". */
    Details field(String label, Object value) {
        return field(0, label, value);
    }

    Details field(int indent, String label, Object value) {
        String text = value == null || value.toString().isEmpty() ? "<none>" : value.toString();
        lines.add(new Line(indent, label, text));
        return this;
    }

    /** A heading ("Errors:") on its own line, after a blank line. */
    Details heading(String title) {
        blank();
        lines.add(new Line(0, null, title + ":"));
        return this;
    }

    /** A line of text, indented by {@code indent} steps of two spaces. */
    Details text(int indent, String text) {
        lines.add(new Line(indent, null, text));
        return this;
    }

    Details blank() {
        if (!lines.isEmpty() && !lines.get(lines.size() - 1).text().isEmpty()) {
            lines.add(new Line(0, null, ""));
        }
        return this;
    }

    void print(PrintWriter out) {
        int i = 0;
        while (i < lines.size()) {
            Line line = lines.get(i);
            if (line.label() == null) {
                out.println(line.text().isEmpty() ? "" : "  ".repeat(line.indent()) + line.text());
                i++;
                continue;
            }
            int end = i;
            int width = 0;
            while (end < lines.size() && lines.get(end).label() != null && lines.get(end).indent() == line.indent()) {
                width = Math.max(width, lines.get(end).label().length());
                end++;
            }
            for (int j = i; j < end; j++) {
                Line field = lines.get(j);
                String head = "  ".repeat(field.indent()) + field.label() + ":";
                out.println(head + " ".repeat(width - field.label().length() + 2) + field.text());
            }
            i = end;
        }
        out.flush();
    }
}

package io.lifeboat.verification;

import java.util.ArrayList;
import java.util.List;

/**
 * What a verification found wrong, one sentence each: all of them counted, the first {@value #KEPT} kept (a damaged
 * archive can hold millions of bad entries, and the record keeps fewer still). Names read from the bucket are shown
 * printable and cut short ({@link #shown}), since whoever holds the bucket writes them.
 */
final class Problems {
    static final int KEPT = 100;
    private static final int SHOWN_CHARS = 160;

    private final List<String> kept = new ArrayList<>();
    private int count;

    void add(String problem) {
        count++;
        if (kept.size() < KEPT) {
            kept.add(problem);
        }
    }

    int count() {
        return count;
    }

    List<String> first(int n) {
        return List.copyOf(kept.subList(0, Math.min(n, kept.size())));
    }

    /** A value from the bucket as a message may show it: quoted, printable ASCII, at most {@value #SHOWN_CHARS} characters. */
    static String shown(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < value.length() && i < SHOWN_CHARS; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.append(value.length() > SHOWN_CHARS ? "…'" : "'").toString();
    }
}

package io.lifeboat.schedule;

import io.lifeboat.error.InvalidInputException;

import java.util.BitSet;

/**
 * One field of a custom schedule: a number ({@code 5}), a list ({@code 1,15}), a range ({@code 1-5}), {@code *},
 * or a mix of numbers and ranges in a list ({@code 1-5,10}). The values it allows, within the field's bounds.
 */
public final class CronField {
    private final BitSet values;
    private final boolean any;

    private CronField(BitSet values, boolean any) {
        this.values = values;
        this.any = any;
    }

    /** Parses the field named {@code field}; a value out of [min, max] or a malformed one is a 400 naming it. */
    public static CronField parse(String field, Object raw, int min, int max) {
        if (raw == null) {
            return new CronField(range(min, max), true);
        }
        String text = String.valueOf(raw).trim();
        if (text.equals("*")) {
            return new CronField(range(min, max), true);
        }
        BitSet values = new BitSet();
        for (String part : text.split(",", -1)) {
            String[] bounds = part.trim().split("-", -1);
            if (bounds.length > 2 || bounds[0].isEmpty()) {
                throw new InvalidInputException(field, "'" + text + "' is not a number, a list, a range or *");
            }
            int from = number(field, text, bounds[0]);
            int to = bounds.length == 2 ? number(field, text, bounds[1]) : from;
            if (from < min || to > max || from > to) {
                throw new InvalidInputException(field, "'" + text + "' is out of range " + min + "-" + max);
            }
            values.set(from, to + 1);
        }
        return new CronField(values, false);
    }

    private static int number(String field, String text, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "'" + text + "' is not a number, a list, a range or *");
        }
    }

    private static BitSet range(int min, int max) {
        BitSet set = new BitSet();
        set.set(min, max + 1);
        return set;
    }

    public boolean matches(int value) {
        return values.get(value);
    }

    /** True for {@code *} (or an absent field): the field does not restrict. */
    public boolean any() {
        return any;
    }

    /** The smallest allowed value at or above {@code from}, or -1. */
    public int next(int from) {
        return values.nextSetBit(from);
    }
}

package io.lifeboat.paging;

import io.lifeboat.error.InvalidInputException;
import io.lifeboat.input.Names;

/**
 * Where a page of a list starts ({@code after} a name, exclusive; null for the first page) and how many items it
 * holds at most (1 to {@value #MAX_LIMIT}; {@value #DEFAULT_LIMIT} unless asked).
 */
public record PageRequest(String after, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
        if (after != null) {
            Names.requireLabel("nextToken", after);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(null, limit);
    }

    /** {@code limit} as given in a query ({@code ?limit=}): absent is the default; anything but a number is refused. */
    public static int limit(String given) {
        if (given == null) {
            return DEFAULT_LIMIT;
        }
        if (!given.matches("[0-9]{1,4}")) {
            throw new InvalidInputException("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
        return Integer.parseInt(given);
    }
}

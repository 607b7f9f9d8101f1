package io.lifeboat.sandbox.kube;

import io.fabric8.kubernetes.client.utils.Serialization;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves {@code limit}/{@code continue} paging. The first page of a list takes a snapshot of all matching items;
 * later pages are cut from that snapshot, found through the continue token, so that reading n items in pages costs
 * O(n) and not one store scan per page. Snapshots go when their last page has been served, when unused for the
 * time to live, or when too many are open.
 */
final class ListPager {
    static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofMinutes(5);
    static final int MAX_SNAPSHOTS = 64;
    static final String EXPIRED_MESSAGE = "The provided continue parameter is too old to display a consistent list "
            + "result. You can start a new list without the continue parameter.";

    /** apiVersion, kind and resourceVersion of a list answer. */
    record ListHeader(String apiVersion, String kind, String resourceVersion) {
    }

    private static final class Snapshot {
        final String id;
        final String query;
        final ListHeader header;
        final List<String> items;
        volatile long lastUsedNanos;

        Snapshot(String id, String query, ListHeader header, List<String> items) {
            this.id = id;
            this.query = query;
            this.header = header;
            this.items = items;
            this.lastUsedNanos = System.nanoTime();
        }
    }

    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final Duration timeToLive;

    ListPager(Duration timeToLive) {
        this.timeToLive = timeToLive;
    }

    /**
     * The first (or only) page of a list. {@code query} identifies what was listed (path and selectors), so that a
     * token cannot continue a different list. {@code limit} of 0 or less means no limit.
     */
    ApiResponse firstPage(String query, ListHeader header, List<String> items, long limit) {
        expireOld();
        if (limit <= 0 || items.size() <= limit) {
            return Responses.json(200, compose(header, items, null, 0));
        }
        Snapshot snapshot = new Snapshot(UUID.randomUUID().toString(), query, header, List.copyOf(items));
        snapshots.put(snapshot.id, snapshot);
        evictBeyondLimit();
        return page(snapshot, 0, limit);
    }

    /** A later page; 410 Gone when the token is unknown, expired or malformed, as a real server answers. */
    ApiResponse nextPage(String query, String token, long limit) {
        expireOld();
        Optional<Position> position = Position.decode(token);
        Snapshot snapshot = position.map(p -> snapshots.get(p.snapshotId())).orElse(null);
        if (snapshot == null || position.get().offset() > snapshot.items.size()) {
            return Responses.gone(EXPIRED_MESSAGE);
        }
        if (!snapshot.query.equals(query)) {
            return Responses.badRequest("continue key is not valid: it belongs to a different list request");
        }
        snapshot.lastUsedNanos = System.nanoTime();
        return page(snapshot, position.get().offset(), limit);
    }

    int openSnapshots() {
        return snapshots.size();
    }

    private ApiResponse page(Snapshot snapshot, int offset, long limit) {
        int end = limit <= 0 ? snapshot.items.size() : (int) Math.min(snapshot.items.size(), offset + limit);
        List<String> pageItems = snapshot.items.subList(offset, end);
        int remaining = snapshot.items.size() - end;
        String token = null;
        if (remaining > 0) {
            token = new Position(snapshot.id, end).encode();
        } else {
            snapshots.remove(snapshot.id);
        }
        return Responses.json(200, compose(snapshot.header, pageItems, token, remaining));
    }

    /** Joins the stored JSON of the items as they are, without parsing them again. */
    static String compose(ListHeader header, List<String> items, String continueToken, int remaining) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resourceVersion", header.resourceVersion());
        if (continueToken != null) {
            metadata.put("continue", continueToken);
            metadata.put("remainingItemCount", remaining);
        }
        int size = items.stream().mapToInt(String::length).sum() + items.size() + 200;
        StringBuilder body = new StringBuilder(size);
        body.append("{\"apiVersion\":").append(Serialization.asJson(header.apiVersion()))
                .append(",\"kind\":").append(Serialization.asJson(header.kind()))
                .append(",\"metadata\":").append(Serialization.asJson(metadata))
                .append(",\"items\":[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(items.get(i));
        }
        return body.append("]}").toString();
    }

    private void expireOld() {
        long now = System.nanoTime();
        snapshots.values().removeIf(s -> now - s.lastUsedNanos > timeToLive.toNanos());
    }

    private void evictBeyondLimit() {
        while (snapshots.size() > MAX_SNAPSHOTS) {
            snapshots.values().stream()
                    .min(Comparator.comparingLong(s -> s.lastUsedNanos))
                    .ifPresent(oldest -> snapshots.remove(oldest.id));
        }
    }

    /** Where the next page starts; its encoding is the opaque continue token. */
    private record Position(String snapshotId, int offset) {
        String encode() {
            String plain = snapshotId + ":" + offset;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        }

        static Optional<Position> decode(String token) {
            try {
                String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int colon = plain.lastIndexOf(':');
                if (colon <= 0) {
                    return Optional.empty();
                }
                int offset = Integer.parseInt(plain.substring(colon + 1));
                return offset < 0 ? Optional.empty() : Optional.of(new Position(plain.substring(0, colon), offset));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }
}

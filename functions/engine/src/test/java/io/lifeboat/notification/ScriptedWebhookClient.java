package io.lifeboat.notification;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WebhookClient that answers from a script (a status, or -1 for a network failure), then 204, and keeps every
 * request it was sent, for tests.
 */
public final class ScriptedWebhookClient implements WebhookClient {
    public record Sent(String url, Map<String, String> headers, byte[] body) {
    }

    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    public ScriptedWebhookClient answering(Integer... statuses) {
        script.addAll(List.of(statuses));
        return this;
    }

    @Override
    public synchronized int post(String url, Map<String, String> headers, byte[] body) throws IOException {
        sent.add(new Sent(url, Map.copyOf(headers), body.clone()));
        Integer next = script.poll();
        int status = next == null ? 204 : next;
        if (status < 0) {
            throw new IOException("connection refused");
        }
        return status;
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }
}

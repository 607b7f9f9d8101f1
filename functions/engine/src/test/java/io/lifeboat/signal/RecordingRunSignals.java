package io.lifeboat.signal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** RunSignals that keep every run they are told of, for tests. */
public final class RecordingRunSignals implements RunSignals {
    private final List<RunEnded> ended = new CopyOnWriteArrayList<>();

    @Override
    public void ended(RunEnded run) {
        ended.add(run);
    }

    public List<RunEnded> ended() {
        return List.copyOf(ended);
    }
}

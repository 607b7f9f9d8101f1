package io.lifeboat.cli;

import java.util.List;

/** Where {@code --wait} shows progress: a live bar on a terminal ({@link TerminalProgress}), lines otherwise ({@link PlainProgress}). */
interface ProgressView {
    /** The runs as they are now, one bar each (a workspace run: one per member cluster). */
    void update(List<Bar> bars);

    /** The last state, once every run has finished. */
    void finish(List<Bar> bars);
}

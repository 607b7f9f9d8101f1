package io.lifeboat.app.signal;

import io.lifeboat.signal.RunEvent;
import io.lifeboat.signal.RunEventSink;
import org.jboss.logging.Logger;

/** Events in the log (local mode, where there is no EventBridge): one line each, a failure as a warning. */
public final class LogRunEvents implements RunEventSink {
    private static final Logger LOG = Logger.getLogger("io.lifeboat.events");

    @Override
    public void send(RunEvent event) {
        Logger.Level level = event.type().endsWith(".completed") ? Logger.Level.INFO : Logger.Level.WARN;
        LOG.logf(level, "event %s: %s", event.detailType(), event.detailJson());
    }
}

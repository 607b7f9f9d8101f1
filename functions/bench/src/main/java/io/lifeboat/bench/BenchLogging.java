package io.lifeboat.bench;

import io.quarkus.bootstrap.logging.InitialConfigurator;
import org.jboss.logmanager.LogContext;

import java.util.logging.Handler;
import java.util.logging.Level;

/**
 * The benchmarks' logging as a deployed function's: INFO and above, written to the console. A function gets this from
 * Quarkus when it starts; the benchmarks' mains start no Quarkus, and left alone the JBoss LogManager's root level is
 * ALL and Quarkus's start-up handler keeps thousands of records for a start that never comes. fabric8 then logs the
 * body of every HTTP response at TRACE: the run pays for formatting every list it reads, and the heap holds the
 * records (a 100k backup ran out of a 128 MB heap that way).
 */
final class BenchLogging {
    private BenchLogging() {
    }

    static void asDeployed() {
        LogContext.getLogContext().getLogger("").setLevel(Level.INFO);
        InitialConfigurator.DELAYED_HANDLER.setHandlers(new Handler[]{InitialConfigurator.createDefaultHandler()});
    }
}

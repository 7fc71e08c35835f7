package io.ctifeeds.ops;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C) stop the application the way a completed
 * run-and-terminate does: Camel shuts down gracefully (runs in progress get camel.main.shutdown-timeout) and
 * the process exits with its own status, 0 for a clean stop. The JVM's default handling would exit 143 even
 * after a clean shutdown, which orchestrators report as an error.
 */
public final class StopOnSignal {

    private static final Logger LOG = LoggerFactory.getLogger(StopOnSignal.class);

    private StopOnSignal() {
    }

    /** @param stop ends the application; called once, on its own thread */
    public static void install(Runnable stop) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (stopping.compareAndSet(false, true)) {
                    LOG.info("SIG{} received: stopping", signal.getName());
                    // not on the signal's thread: a graceful stop may take the whole shutdown timeout
                    new Thread(stop, "stop-on-signal").start();
                } else {
                    LOG.warn("SIG{} received again while stopping: exiting now", signal.getName());
                    Runtime.getRuntime().halt(1);
                }
            });
        }
    }
}

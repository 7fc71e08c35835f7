package io.ctifeeds;

import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the application on a problem only the user can fix (a refused token, an unknown connector),
 * with one line that names the fix, instead of retrying forever.
 */
public class ApplicationExit {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationExit.class);

    private final AtomicInteger status = new AtomicInteger();
    private volatile Runnable stop;

    public void setStop(Runnable stop) {
        this.stop = stop;
    }

    /** Logs why and stops the application with status 2. */
    public void fail(String reason) {
        if (!status.compareAndSet(0, 2)) {
            return;
        }
        LOG.error("stopping: {}", reason);
        Runnable s = stop;
        if (s != null) {
            // from another thread: the caller is a route that must finish before Camel can stop
            new Thread(s, "application-exit").start();
        }
    }

    /** As a route step: the exception being handled is the reason. */
    public void failOn(org.apache.camel.Exchange exchange) {
        Throwable cause = exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class);
        fail(cause == null ? "unknown error" : cause.getMessage());
    }

    public int status() {
        return status.get();
    }
}

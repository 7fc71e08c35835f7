package io.ctifeeds.feed;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The line of a download that is tried again (routes/error-handling.camel.yaml, onRedelivery). It stands in for
 * Camel's own retry warning, which prints the exception's message, and camel-http's names the URL it invoked
 * with its whole query string: a feed's key often travels there.
 */
public class FetchRetryLog implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FetchRetryLog.class);

    @Override
    public void process(Exchange exchange) {
        FeedRun run = exchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        Throwable cause = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int retry = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        int retries = exchange.getMessage().getHeader(Exchange.REDELIVERY_MAX_COUNTER, 0, Integer.class);
        LOG.warn("{}: download failed: {}; retry {} of {}", run == null ? exchange.getFromRouteId() : run.feed(),
                FeedRuns.describeAttempt(cause, run), retry, retries);
    }
}

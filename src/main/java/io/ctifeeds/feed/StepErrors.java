package io.ctifeeds.feed;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Ordered;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Turns an Error thrown by a route step (a StackOverflowError, an OutOfMemoryError where the JVM is not told to
 * exit on it) into the step's failure, so that the route's error handling ends the run like any other error.
 * Camel's processors catch Exception only: an Error unwound past every route to the trigger, leaving the feed
 * marked running for good (409 on every trigger, run-and-terminate waiting forever).
 */
public class StepErrors implements InterceptStrategy, Ordered {

    /** The outermost wrapper of each step: an Error from any other interceptor is caught too. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST;
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        String step = definition.getShortName();
        return new DelegateAsyncProcessor(AsyncProcessorConverterHelper.convert(target)) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                try {
                    return processor.process(exchange, callback);
                } catch (Error e) {
                    exchange.setException(new StepError(step, e));
                    callback.done(true);
                    return true;
                }
            }
        };
    }

    /** An Error of a step, as an exception the routes' onException handles. */
    public static final class StepError extends RuntimeException {
        StepError(String step, Error cause) {
            super(cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " (" + cause.getMessage()
                    + ")") + " in a " + step + " step; the run is ended", cause);
        }
    }
}

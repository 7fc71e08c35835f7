package io.ctifeeds.ops;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.ctifeeds.feed.FeedRuns;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * The manual trigger's decisions (routes/http-trigger.camel.yaml): whether a feed may run now. A feed is the
 * started route that consumes {@code direct:<feed>-run}; it is busy while a run of it is in that route, while
 * FeedRuns knows it as running, or while a run triggered here has not completed yet (it may not have reached
 * the route when the next request comes in).
 */
public class FeedTrigger {

    /** What a trigger request gets. */
    public enum Outcome {
        ACCEPTED, RUNNING, UNKNOWN
    }

    /** A route name part, so that a request can never name another kind of endpoint. */
    private static final Pattern FEED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final FeedRuns feedRuns;
    private final CamelContext camelContext;
    private final Set<String> triggered = ConcurrentHashMap.newKeySet();

    public FeedTrigger(FeedRuns feedRuns, CamelContext camelContext) {
        this.feedRuns = feedRuns;
        this.camelContext = camelContext;
    }

    /** ACCEPTED reserves the feed until {@link #release} is called for it. */
    public synchronized Outcome claim(String feed) {
        Route route = runRoute(feed);
        if (route == null) {
            return Outcome.UNKNOWN;
        }
        boolean busy = triggered.contains(feed) || feedRuns.isRunning(feed)
                || camelContext.getInflightRepository().size(route.getRouteId()) > 0;
        if (busy) {
            return Outcome.RUNNING;
        }
        triggered.add(feed);
        return Outcome.ACCEPTED;
    }

    /** The triggered run has completed, however it ended. */
    public void release(String feed) {
        triggered.remove(feed);
    }

    private Route runRoute(String feed) {
        if (feed == null || !FEED.matcher(feed).matches()) {
            return null;
        }
        String uri = "direct://" + feed + "-run";
        return camelContext.getRoutes().stream()
                .filter(r -> uri.equals(r.getEndpoint().getEndpointUri()))
                .filter(r -> camelContext.getRouteController().getRouteStatus(r.getRouteId()).isStarted())
                .findFirst().orElse(null);
    }
}

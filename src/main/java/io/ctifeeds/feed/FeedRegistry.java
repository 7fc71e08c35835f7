package io.ctifeeds.feed;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Route;

/**
 * The one answer to "which feeds exist?" for the start-up report, the manual trigger, run-and-terminate and the
 * metrics. A feed registers itself when its route is built (an instance of the ip-list-feed template, the
 * CrowdSec import), so a feed added in YAML is known by its own name, not guessed from route names. A feed is
 * enabled while its schedule, the route that consumes {@code quartz:feeds/<name>}, is started. Bound before the
 * route files are read (their beans are made first and register here).
 */
public class FeedRegistry implements CamelContextAware {

    /**
     * One feed.
     *
     * @param name     its name: state key, metrics label, {@code POST /feeds/<name>/run}
     * @param runUri   where a run starts: the exchange carries the name in the property {@link #FEED_PROPERTY}
     * @param source   what it fetches, for people (no credentials, no query string)
     * @param feed     the feed's own object, for the routes that run it
     */
    public record Feed(String name, String runUri, String source, Object feed) {
    }

    /** The exchange property that names the feed a run is for. */
    public static final String FEED_PROPERTY = "feed";

    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();
    private CamelContext context;

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /** A second registration under the same name replaces the first (a route file reloaded). */
    public void register(Feed feed) {
        feeds.put(feed.name(), feed);
    }

    public void unregister(String name) {
        feeds.remove(name);
    }

    public Optional<Feed> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(feeds.get(name));
    }

    /** Every registered feed, by name. */
    public List<Feed> all() {
        return feeds.values().stream().sorted(java.util.Comparator.comparing(Feed::name)).toList();
    }

    public List<Feed> enabled() {
        return all().stream().filter(f -> isEnabled(f.name())).toList();
    }

    /** The enabled feed of that name, for a run to start. */
    public Optional<Feed> enabled(String name) {
        return find(name).filter(f -> isEnabled(f.name()));
    }

    public boolean isEnabled(String name) {
        Route schedule = schedule(name);
        return schedule != null && context.getRouteController().getRouteStatus(schedule.getRouteId()).isStarted();
    }

    /** The route that triggers the feed: the consumer of quartz:feeds/&lt;name&gt;, or null. */
    public Route schedule(String name) {
        String prefix = "quartz://feeds/" + name;
        return context.getRoutes().stream().filter(r -> {
            String uri = r.getEndpoint().getEndpointUri();
            return uri.equals(prefix) || uri.startsWith(prefix + "?");
        }).findFirst().orElse(null);
    }

    /** The run endpoint of an enabled feed, or null (for toD in the trigger route). */
    public String runUri(String name) {
        return enabled(name).map(Feed::runUri).orElse(null);
    }
}

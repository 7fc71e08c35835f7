package io.ctifeeds.observe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ctifeeds.config.ConfigurationCheck;
import io.ctifeeds.config.Setting;
import io.ctifeeds.display.DisplayUrl;
import io.ctifeeds.feed.FeedRegistry;
import io.ctifeeds.feed.FeedSchedule;
import org.apache.camel.Route;
import io.ctifeeds.ops.OperationsSettings;
import io.ctifeeds.state.StateSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.OutputNode;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One block in the log once the application has started: each feed of the {@link FeedRegistry} with its
 * schedule, the source it fetches and the sinks it delivers to, then the HTTP endpoints, live reload and
 * whether each secret is set. Sinks are found by following the feed's run route through its direct: endpoints,
 * so a sink added in YAML is reported as it is wired, with no code here: a sink is a started route of group
 * "sinks" (its description says what it is). URLs are shown without user-info or query, and secrets only as
 * set or empty.
 */
public class StartupReport extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(StartupReport.class);
    public static final String SINK_GROUP = "sinks";

    private final FeedRegistry feeds;

    public StartupReport(FeedRegistry feeds) {
        this.feeds = feeds;
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        try {
            LOG.info(report(main.getCamelContext(), feeds));
        } catch (RuntimeException e) {
            // a report is no reason to stop feeds that run
            LOG.warn("no start-up report: {}", e.toString());
        }
    }

    public static String report(CamelContext context, FeedRegistry registry) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        Map<String, RouteDefinition> byDirect = new TreeMap<>();
        for (RouteDefinition route : model.getRouteDefinitions()) {
            String name = directName(route.getInput().getEndpointUri());
            if (name != null) {
                byDirect.put(name, route);
            }
        }
        List<String> lines = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        int enabled = 0;
        for (FeedRegistry.Feed feed : registry.all()) {
            Route schedule = registry.schedule(feed.name());
            if (!registry.isEnabled(feed.name())) {
                disabled.add(feed.name());
                continue;
            }
            enabled++;
            lines.add("  feed " + feed.name() + ": " + schedule(schedule.getEndpoint().getEndpointUri()) + " (route "
                    + schedule.getRouteId() + ")");
            lines.add("    source: " + feed.source());
            Set<String> uris = new LinkedHashSet<>();
            Set<RouteDefinition> reached = new LinkedHashSet<>();
            RouteDefinition run = byDirect.get(directName(feed.runUri()));
            if (run != null) {
                walk(context, run, byDirect, uris, reached);
            }
            List<String> sinks = reached.stream()
                    .filter(r -> SINK_GROUP.equals(r.getGroup()) && started(context, r))
                    .map(r -> describe(context, r)).toList();
            lines.add("    sinks:  " + (sinks.isEmpty() ? "NONE: its bundles go nowhere" : String.join("; ", sinks)));
        }
        List<String> out = new ArrayList<>();
        out.add("cti-feeds started: " + enabled + " feed(s) enabled"
                + (disabled.isEmpty() ? "" : ", disabled: " + String.join(", ", disabled)));
        out.addAll(lines);
        out.add("  state: " + state(context));
        out.add("  http: " + http(context));
        out.add("  live route reload: " + reload(context));
        out.add("  secrets: " + secrets(context));
        return String.join(System.lineSeparator(), out);
    }

    /** Every endpoint the route sends to, and the routes behind its direct: endpoints, transitively. */
    private static void walk(CamelContext context, RouteDefinition route, Map<String, RouteDefinition> byDirect,
                             Set<String> uris, Set<RouteDefinition> reached) {
        if (!reached.add(route)) {
            return;
        }
        List<String> found = new ArrayList<>();
        route.getOutputs().forEach(p -> collect(p, found));
        for (String raw : found) {
            String uri = resolve(context, raw);
            uris.add(uri);
            String direct = directName(uri);
            RouteDefinition next = direct == null ? null : byDirect.get(direct);
            if (next != null) {
                walk(context, next, byDirect, uris, reached);
            }
        }
    }

    private static void collect(Object node, List<String> uris) {
        if (node instanceof EndpointRequiredDefinition send && send.getEndpointUri() != null) {
            uris.add(send.getEndpointUri());
        } else if (node instanceof ToDynamicDefinition dynamic && dynamic.getUri() != null) {
            uris.add(dynamic.getUri());
        }
        if (node instanceof ChoiceDefinition choice) {
            choice.getWhenClauses().forEach(w -> collect(w, uris));
            if (choice.getOtherwise() != null) {
                collect(choice.getOtherwise(), uris);
            }
        }
        if (node instanceof ProcessorDefinition<?> processor) {
            processor.getOutputs().forEach(p -> collect(p, uris));
        } else if (node instanceof OutputNode block) {
            block.getOutputs().forEach(p -> collect(p, uris));
        }
    }

    private static String directName(String uri) {
        if (uri == null || !uri.startsWith("direct:")) {
            return null;
        }
        String name = uri.substring("direct:".length());
        name = name.startsWith("//") ? name.substring(2) : name;
        int query = name.indexOf('?');
        return query < 0 ? name : name.substring(0, query);
    }

    /** The trigger's schedule in words, from its quartz or timer options. */
    static String schedule(String uri) {
        Map<String, Object> options;
        try {
            options = URISupport.parseQuery(URISupport.extractQuery(uri));
        } catch (java.net.URISyntaxException e) {
            options = Map.of();
        }
        Object cron = options.get("cron");
        if (cron != null) {
            // the endpoint's URI is normalised: '+' for a space, '%3F' for '?'
            return "cron '" + java.net.URLDecoder.decode(cron.toString(), java.nio.charset.StandardCharsets.UTF_8) + "'";
        }
        if ("0".equals(String.valueOf(options.get("trigger.repeatCount")))) {
            return "once, at start-up";
        }
        Object every = options.getOrDefault("trigger.repeatInterval", options.get("period"));
        if (every != null && every.toString().matches("\\d+")) {
            String period = Duration.ofMillis(Long.parseLong(every.toString())).toString().substring(2)
                    .toLowerCase(java.util.Locale.ROOT);
            return (FeedSchedule.FIXED_DELAY.equals(options.get("trigger.description"))
                    ? period + " after each run ends" : "every " + period) + ", the first run at start-up";
        }
        return "triggered by " + DisplayUrl.of(uri);
    }

    private static String describe(CamelContext context, RouteDefinition sink) {
        return DisplayUrl.inText(sink.getDescription() == null ? sink.getRouteId()
                : resolve(context, sink.getDescription()));
    }

    private static String state(CamelContext context) {
        if ("postgresql".equals(setting(context, StateSettings.STORE))) {
            return "PostgreSQL " + DisplayUrl.of(setting(context, "connector.postgresql.url")) + ", schema "
                    + setting(context, "connector.postgresql.schema") + ", shared by the replicas (Quartz clustered)";
        }
        return "files in " + Path.of(setting(context, "connector.data-path"), "state")
                + " (one instance; CONNECTOR_STATE_STORE=postgresql for replicas)";
    }

    private static String http(CamelContext context) {
        if (!Boolean.parseBoolean(setting(context, OperationsSettings.SERVER_ENABLED))) {
            return "off (CAMEL_SERVER_ENABLED=false): no health, metrics nor manual trigger";
        }
        String base = "http://" + setting(context, "camel.server.host") + ":"
                + setting(context, OperationsSettings.SERVER_PORT);
        return base + "/observe/health (/live, /ready), " + base + "/observe/metrics, POST " + base
                + "/feeds/{feed}/run";
    }

    private static String reload(CamelContext context) {
        if (!Boolean.parseBoolean(setting(context, OperationsSettings.RELOAD_ENABLED))) {
            return "off (CAMEL_MAIN_ROUTES_RELOAD_ENABLED=true to edit routes without a restart)";
        }
        return "on, watching " + setting(context, OperationsSettings.RELOAD_DIRECTORY) + "/"
                + setting(context, "camel.main.routes-reload-pattern");
    }

    private static String secrets(CamelContext context) {
        List<String> shown = new ArrayList<>();
        for (Setting s : ConfigurationCheck.settings()) {
            if (s.secret()) {
                shown.add(s.environmentVariable() + (setting(context, s.key()).isEmpty() ? " empty" : " set"));
            }
        }
        return String.join(", ", shown) + " (values never shown)";
    }

    private static String setting(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(v -> resolve(context, v).trim())
                .orElse("");
    }

    private static String resolve(CamelContext context, String value) {
        try {
            return context.resolvePropertyPlaceholders(value);
        } catch (RuntimeException e) {
            return value;
        }
    }

    private static boolean started(CamelContext context, RouteDefinition route) {
        ServiceStatus status = context.getRouteController().getRouteStatus(route.getRouteId());
        return status != null && status.isStarted();
    }
}

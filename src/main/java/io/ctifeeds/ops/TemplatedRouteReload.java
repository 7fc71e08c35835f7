package io.ctifeeds.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of {@code templatedRoute} blocks (a feed file such as routes/ipsum.camel.yaml), which Camel's own
 * reload leaves out: it updates a changed file's routes, rests and templates, but never makes its templated routes
 * (RouteBuilder.updateRoutesToCamelContext does not populate them), so an edited feed file kept its old parameters
 * and a new one was never loaded, both without a word. After Camel's reload of a file has gone through (a file it
 * refuses is not touched here either), each templated route of the file replaces the route of its id: the old one
 * is stopped as Camel stops a reloaded route (after its exchanges in flight, within the shutdown timeout), then the
 * template makes the new one, whose feed bean registers itself again. A run already begun keeps the feed it
 * began with (IpListRuns carries it on the exchange), so it finishes as it started. A block the template refuses
 * leaves the previous route in place.
 */
public class TemplatedRouteReload extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TemplatedRouteReload.class);

    /** Each watched file's text as last loaded, by file name: what a refused edit falls back to. */
    private final Map<String, String> loaded = new ConcurrentHashMap<>();

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        RouteWatcherReloadStrategy strategy = context.hasService(RouteWatcherReloadStrategy.class);
        if (strategy == null || strategy.getResourceReload() == null) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(strategy.getFolder()), "*.yaml")) {
            for (Path file : files) {
                loaded.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.warn("live reload: cannot read {} ({}); a refused feed file edit then leaves its feed stopped",
                    strategy.getFolder(), e.getMessage());
        }
        ResourceReload camels = strategy.getResourceReload();
        strategy.setResourceReload((name, resource) -> {
            camels.onReload(name, resource);
            reload(context, name, resource);
        });
    }

    /** Makes the file's templated routes anew; with none, nothing. */
    private void reload(CamelContext context, String name, Resource resource) throws Exception {
        if (!resource.exists()) {
            return;
        }
        String file = Path.of(name).getFileName().toString();
        String text;
        try (InputStream in = resource.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> ids = replace(context, file, resource);
        loaded.put(file, text);
        if (!ids.isEmpty()) {
            LOG.info("{}: templated route(s) {} reloaded", name, ids);
        }
    }

    /**
     * Replaces the routes of the resource's templated routes by new ones, and returns their ids. A block the
     * template refuses (a parameter its bean checks) puts back the routes of the file's previous text, then throws:
     * the watcher logs the error with the file's name, and the feed goes on as it was.
     */
    private List<String> replace(CamelContext context, String file, Resource resource) throws Exception {
        List<String> ids = new ArrayList<>();
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource)) {
            if (!(builder instanceof RouteBuilder routes)) {
                continue;
            }
            routes.configureRoutes(context);
            List<String> these = new ArrayList<>();
            for (TemplatedRouteDefinition templated : routes.getTemplatedRouteCollection().getTemplatedRoutes()) {
                these.add(templated.getRouteId());
            }
            if (these.isEmpty()) {
                continue;
            }
            remove(context, these);
            try {
                routes.addTemplatedRoutesToCamelContext(context);
            } catch (Exception e) {
                remove(context, these);
                String previous = loaded.get(file);
                if (previous != null) {
                    restore(context, file, previous);
                }
                throw e;
            }
            ids.addAll(these);
        }
        return ids;
    }

    private void restore(CamelContext context, String file, String previous) {
        try {
            Resource before = ResourceHelper.fromString(file, previous);
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(before)) {
                if (builder instanceof RouteBuilder routes) {
                    routes.configureRoutes(context);
                    if (!routes.getTemplatedRouteCollection().getTemplatedRoutes().isEmpty()) {
                        routes.addTemplatedRoutesToCamelContext(context);
                    }
                }
            }
        } catch (Exception e) {
            LOG.error("{}: the previous version of the file could not be put back either ({}): its feeds are "
                    + "stopped until the file is fixed", file, e.getMessage());
        }
    }

    /** Stops and removes these routes, after their exchanges in flight, as Camel does for a reloaded route. */
    private static void remove(CamelContext context, List<String> ids) throws Exception {
        for (String id : ids) {
            if (id != null && context.getRoute(id) != null) {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            }
        }
    }
}

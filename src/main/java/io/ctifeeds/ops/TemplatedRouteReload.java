package io.ctifeeds.ops;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.support.PluginHelper;
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
 * began with (IpListRuns carries it on the exchange), so it finishes as it started.
 */
public class TemplatedRouteReload extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TemplatedRouteReload.class);

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        RouteWatcherReloadStrategy strategy = context.hasService(RouteWatcherReloadStrategy.class);
        if (strategy == null || strategy.getResourceReload() == null) {
            return;
        }
        ResourceReload camels = strategy.getResourceReload();
        strategy.setResourceReload((name, resource) -> {
            camels.onReload(name, resource);
            reload(context, name, resource);
        });
    }

    /** Makes the file's templated routes anew; with none, nothing. */
    static void reload(CamelContext context, String name, Resource resource) throws Exception {
        if (!resource.exists()) {
            return;
        }
        for (RoutesBuilder builder : PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource)) {
            if (!(builder instanceof RouteBuilder routes)) {
                continue;
            }
            routes.configureRoutes(context);
            List<String> ids = new ArrayList<>();
            for (TemplatedRouteDefinition templated : routes.getTemplatedRouteCollection().getTemplatedRoutes()) {
                String id = templated.getRouteId();
                if (id != null && context.getRoute(id) != null) {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                }
                ids.add(id);
            }
            if (!ids.isEmpty()) {
                routes.addTemplatedRoutesToCamelContext(context);
                LOG.info("{}: templated route(s) {} reloaded", name, ids);
            }
        }
    }
}

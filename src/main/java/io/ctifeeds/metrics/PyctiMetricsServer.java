package io.ctifeeds.metrics;

import io.ctifeeds.metrics.PyctiMetrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.ctifeeds.config.ConfigurationError;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pycti's metrics port (CONNECTOR_EXPOSE_METRICS, CONNECTOR_METRICS_PORT): {@link PyctiMetrics} in Prometheus text on
 * every path, as prometheus_client's start_http_server answers. An event loop of its own, apart from the
 * health/metrics/trigger server: non-blocking, so a slow or idle client holds no thread; a request line and headers
 * are bounded, and an idle connection is closed after a few seconds.
 */
public class PyctiMetricsServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(PyctiMetricsServer.class);
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final int IDLE_SECONDS = 10;

    private final PyctiMetrics metrics;
    private final String host;
    private final int port;
    private Vertx vertx;
    private HttpServer server;

    public PyctiMetricsServer(PyctiMetrics metrics, String host, int port) {
        this.metrics = metrics;
        this.host = host;
        this.port = port;
    }

    @Override
    protected void doStart() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setIdleTimeout(IDLE_SECONDS).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxInitialLineLength(4096).setMaxHeaderSize(8192).setCompressionSupported(true);
        try {
            server = vertx.createHttpServer(options).requestHandler(request -> {
                if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
                    request.response().setStatusCode(405).putHeader("Allow", "GET, HEAD").end();
                    return;
                }
                byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                request.response().putHeader("Content-Type", CONTENT_TYPE)
                        .end(io.vertx.core.buffer.Buffer.buffer(body));
            }).listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            throw new ConfigurationError("Invalid configuration: CONNECTOR_METRICS_PORT (connector.metrics-port) = '"
                    + port + "': cannot listen on " + host + ":" + port + " (" + cause.getMessage() + "); choose a "
                    + "free port, or CONNECTOR_EXPOSE_METRICS=false");
        }
        LOG.info("pycti's connector metrics on http://{}:{}/metrics", host, server.actualPort());
    }

    @Override
    protected void doStop() throws Exception {
        metrics.stopped();
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx = null;
        }
    }
}

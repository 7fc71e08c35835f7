package io.ctifeeds.observe;

import java.time.Duration;

import io.ctifeeds.opencti.OpenCtiApi;

/**
 * Readiness: the OpenCTI platform answers pycti's health query ({@code about { version }}) with this token.
 * Bound only when bundles go to OpenCTI, so that a connector without a platform is ready without one.
 */
public class OpenCtiHealthCheck extends ReachabilityCheck {

    private final OpenCtiApi api;

    public OpenCtiHealthCheck(OpenCtiApi api, Duration timeout, Duration cacheFor) {
        super("opencti", "OpenCTI at " + api.url(), timeout, cacheFor);
        this.api = api;
    }

    @Override
    protected String probe() {
        return "OpenCTI " + api.version() + " at " + api.url();
    }
}

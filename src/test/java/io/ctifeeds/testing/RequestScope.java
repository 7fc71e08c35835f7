package io.ctifeeds.testing;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What one HTTP request carries into the data fetchers through the GraphQL context: the platform it talks to,
 * whether its token was valid, and a one-shot error that {@link FakeOpenCti#errorNext} asked for.
 */
final class RequestScope {

    private final FakePlatform platform;
    private final boolean authenticated;
    private final AtomicReference<PlatformError> injected;

    RequestScope(FakePlatform platform, boolean authenticated, PlatformError injected) {
        this.platform = platform;
        this.authenticated = authenticated;
        this.injected = new AtomicReference<>(injected);
    }

    FakePlatform platform() {
        return platform;
    }

    boolean authenticated() {
        return authenticated;
    }

    /** The injected error, once: the first root field that runs fails with it, the others run normally. */
    PlatformError takeInjected() {
        return injected.getAndSet(null);
    }

    /** The injected error if no root field took it (an auth error came first): it is still owed. */
    PlatformError unusedInjected() {
        return injected.get();
    }
}

package io.ctifeeds.feed;

import java.net.URI;

/** A URL as logs, state and reports may show it: no user-info, no query string (either may hold a key). */
public final class DisplayUrl {

    private DisplayUrl() {
    }

    public static String of(String url) {
        try {
            URI uri = URI.create(url);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
                    .toString();
        } catch (RuntimeException | java.net.URISyntaxException e) {
            return "<unparseable URL>";
        }
    }
}

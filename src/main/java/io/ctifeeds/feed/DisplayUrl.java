package io.ctifeeds.feed;

import java.net.URI;

/** A URL as it may appear in logs and state: no user-info and no query string, since either may hold a key. */
public final class DisplayUrl {

    private DisplayUrl() {
    }

    public static String of(String url) {
        if (url.startsWith("jdbc:")) {
            // jdbc:postgresql://host/db?password=...: the part after jdbc: is an ordinary URL
            return "jdbc:" + of(url.substring("jdbc:".length()));
        }
        try {
            URI uri = URI.create(url);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (RuntimeException | java.net.URISyntaxException e) {
            return "<unparseable URL>";
        }
    }
}

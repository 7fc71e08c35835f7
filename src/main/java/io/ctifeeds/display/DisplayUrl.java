package io.ctifeeds.display;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A URL as it may appear in logs and state: no user-info and no query string, since either may hold a key. */
public final class DisplayUrl {

    /** A URL inside a text: up to the first blank, quote, comma or closing bracket. */
    private static final Pattern URL = Pattern.compile("(?:jdbc:)?[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s,)\"'<>]+");

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

    /**
     * The text with every URL in it shown as {@link #of} shows it: for messages that others wrote (exceptions of
     * the HTTP client, of Camel, of a driver) and that may name the URL they were given, query string and all.
     */
    public static String inText(String text) {
        if (text == null || !text.contains("://")) {
            return text;
        }
        Matcher urls = URL.matcher(text);
        StringBuilder shown = new StringBuilder();
        while (urls.find()) {
            urls.appendReplacement(shown, Matcher.quoteReplacement(of(urls.group())));
        }
        urls.appendTail(shown);
        return shown.toString();
    }
}

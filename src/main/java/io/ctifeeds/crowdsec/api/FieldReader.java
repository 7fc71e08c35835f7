package io.ctifeeds.crowdsec.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the fields of one CTI object without ever throwing: a field that is missing, JSON null, blank or the
 * string "None" (the CTI's Python str(None)) is absent; a field of the wrong type or out of range is absent too, and its
 * path is recorded as unusable. One reader per object.
 */
final class FieldReader {

    /** Longer CTI texts are cut: they end up in notes and labels, and nothing legitimate is this long. */
    static final int MAX_TEXT = 1024;

    // STIX timestamps have four-digit years; CrowdSec dates older than this are nonsense anyway.
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9000-01-01T00:00:00Z");

    private static final Pattern DECIMAL_DIGITS = Pattern.compile("-?\\d{1,15}");

    private final List<String> unusable = new ArrayList<>();

    List<String> unusable() {
        return unusable;
    }

    void unusable(String path) {
        unusable.add(path);
    }

    /** The field's value, or null when absent (missing, null, blank, "None"). */
    static JsonNode present(JsonNode parent, String field) {
        if (parent == null || !parent.isObject()) {
            return null;
        }
        JsonNode node = parent.get(field);
        if (node == null || node.isNull() || node.isMissingNode() || (node.isTextual() && (node.textValue().isBlank() || node.textValue().equals("None")))) {
            return null;
        }
        return node;
    }

    /** Stripped, well-formed, at most {@value #MAX_TEXT} characters; null when absent, blank or not a string. */
    String text(JsonNode parent, String field, String path) {
        JsonNode node = present(parent, field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            unusable(path);
            return null;
        }
        return clean(node.textValue());
    }

    /** {@link #text} lower-cased, for enumerations such as reputation. */
    String keyword(JsonNode parent, String field, String path) {
        String text = text(parent, field, path);
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    /** An integral number (or decimal digits in a string) within [min, max]. */
    Long integer(JsonNode parent, String field, String path, long min, long max) {
        JsonNode node = present(parent, field);
        if (node == null) {
            return null;
        }
        Long value = null;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.longValue();
        } else if (node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue())
                && Math.abs(node.doubleValue()) < 1e15) {
            value = (long) node.doubleValue();
        } else if (node.isTextual() && DECIMAL_DIGITS.matcher(node.textValue().strip()).matches()) {
            value = Long.parseLong(node.textValue().strip());
        }
        if (value == null || value < min || value > max) {
            unusable(path);
            return null;
        }
        return value;
    }

    Integer smallInteger(JsonNode parent, String field, String path, int min, int max) {
        Long value = integer(parent, field, path, min, max);
        return value == null ? null : value.intValue();
    }

    /** A finite number within [min, max]. */
    Double decimal(JsonNode parent, String field, String path, double min, double max) {
        JsonNode node = present(parent, field);
        if (node == null) {
            return null;
        }
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())
                || node.doubleValue() < min || node.doubleValue() > max) {
            unusable(path);
            return null;
        }
        return node.doubleValue();
    }

    /**
     * An ISO-8601 date-time: with an offset ("2022-05-28T16:00:00+00:00", "...Z") or without one, which the
     * OpenAPI example shows and which is read as UTC.
     */
    Instant timestamp(JsonNode parent, String field, String path) {
        String text = text(parent, field, path);
        if (text == null) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException withOffset) {
            try {
                instant = LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException withoutOffset) {
                unusable(path);
                return null;
            }
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            unusable(path);
            return null;
        }
        return instant;
    }

    /** The elements of an array field; empty when absent, and when not an array (recorded). */
    List<JsonNode> array(JsonNode parent, String field, String path) {
        JsonNode node = present(parent, field);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            unusable(path);
            return List.of();
        }
        List<JsonNode> elements = new ArrayList<>(node.size());
        node.forEach(elements::add);
        return elements;
    }

    /** An object field, or null when absent, and when not an object (recorded). */
    JsonNode object(JsonNode parent, String field, String path) {
        JsonNode node = present(parent, field);
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            unusable(path);
            return null;
        }
        return node;
    }

    /** The http(s) URLs among an array of strings; anything else is recorded. */
    List<String> urls(JsonNode parent, String field, String path) {
        List<String> urls = new ArrayList<>();
        List<JsonNode> elements = array(parent, field, path);
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            String url = element.isTextual() ? httpUrl(element.textValue()) : null;
            if (url == null) {
                unusable(path + "[" + i + "]");
            } else if (!urls.contains(url)) {
                urls.add(url);
            }
        }
        return urls;
    }

    /** The URL when it is an absolute http or https URI with a host (what an external reference may carry). */
    static String httpUrl(String text) {
        String url = text == null ? null : text.strip();
        if (url == null || url.isEmpty() || url.length() > 2048) {
            return null;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
            return http && uri.getHost() != null ? url : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * Strips, cuts at {@value #MAX_TEXT} characters and replaces unpaired surrogates (JSON may carry them as
     * escapes): they have no UTF-8 form, so they would break the id of a note that quotes them.
     */
    static String clean(String raw) {
        String text = raw.strip();
        if (text.isEmpty()) {
            return null;
        }
        int end = Math.min(text.length(), MAX_TEXT);
        StringBuilder out = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (i + 1 < end) {
                    out.append(c).append(text.charAt(++i));
                }
                // a pair cut by the limit is dropped whole
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

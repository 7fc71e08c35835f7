package io.ctifeeds.crowdsec.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctifeeds.testing.Fixtures;

/** The hand-made CrowdSec CTI answers in src/test/resources/fixtures/crowdsec (see its README). */
public final class CtiFixtures {

    public static final ObjectMapper JSON = new ObjectMapper();

    public static final String PAGE1 = "crowdsec/smoke_search_page1.json";
    public static final String PAGE2 = "crowdsec/smoke_search_page2.json";
    public static final String SINGLE_IP = "crowdsec/smoke_ip_192.0.2.10.json";

    private CtiFixtures() {
    }

    public static JsonNode read(String fixture) {
        try {
            return JSON.readTree(Fixtures.bytes(fixture));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh, mutable copy of item {@code index} of a page. */
    public static ObjectNode item(String page, int index) {
        return (ObjectNode) read(page).get("items").get(index).deepCopy();
    }

    /** p1-1, p1-2, p1-3, p2-1, p2-2, then the single-IP answer: every CTI object the fixtures hold. */
    public static List<ObjectNode> allItems() {
        List<ObjectNode> items = new ArrayList<>();
        for (String page : List.of(PAGE1, PAGE2)) {
            read(page).get("items").forEach(i -> items.add((ObjectNode) i.deepCopy()));
        }
        items.add((ObjectNode) read(SINGLE_IP));
        return items;
    }

    public static CtiRecord parse(JsonNode item) {
        CtiItem parsed = CtiParser.parse(item);
        if (parsed instanceof CtiItem.Parsed p) {
            return p.record();
        }
        throw new AssertionError("rejected: " + parsed);
    }

    public static CtiRecord record(String page, int index) {
        return parse(item(page, index));
    }

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

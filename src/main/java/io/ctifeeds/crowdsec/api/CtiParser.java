package io.ctifeeds.crowdsec.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.ctifeeds.crowdsec.api.CtiRecord.AttackDetail;
import io.ctifeeds.crowdsec.api.CtiRecord.Blocklist;
import io.ctifeeds.crowdsec.api.CtiRecord.Item;
import io.ctifeeds.crowdsec.api.CtiRecord.Origin;
import io.ctifeeds.crowdsec.api.CtiRecord.Score;
import io.ctifeeds.crowdsec.api.CtiRecord.Scores;
import io.ctifeeds.ip.InvalidIpAddressException;
import io.ctifeeds.ip.IpAddress;

/**
 * Turns CrowdSec CTI JSON into {@link CtiRecord}s. The API's schema is loose in practice (nulls, the string "None"
 * for lists, unknown values, fields added over time), so nothing but a missing or invalid IP rejects an item, and
 * nothing ever throws: every other defect only blanks the field concerned and is listed in
 * {@link CtiRecord#unusable()}. Unknown fields are ignored.
 */
public final class CtiParser {

    private static final Pattern MITRE_ID = Pattern.compile("T\\d{4}(\\.\\d{3})?");
    /** The STIX schema's CVE id rule (common/external-reference.json). */
    private static final Pattern CVE_ID = Pattern.compile("CVE-\\d{4}-(0\\d{3}|[1-9]\\d{3,})");
    /** Longest AS number (32-bit ASNs). */
    private static final long MAX_ASN = 4_294_967_295L;

    private CtiParser() {
    }

    /** One CTI object: an item of a search page, or the body of {@code smoke/{ip}}. */
    public static CtiItem parse(JsonNode item) {
        if (item == null || !item.isObject()) {
            return new CtiItem.Rejected("not a JSON object");
        }
        JsonNode ipNode = FieldReader.present(item, "ip");
        if (ipNode == null) {
            return new CtiItem.Rejected("no ip");
        }
        if (!ipNode.isTextual()) {
            return new CtiItem.Rejected("ip is not a string");
        }
        IpAddress ip;
        try {
            ip = IpAddress.parse(ipNode.textValue());
        } catch (InvalidIpAddressException e) {
            return new CtiItem.Rejected("invalid ip: " + e.reason());
        }
        FieldReader f = new FieldReader();
        JsonNode history = f.object(item, "history", "history");
        Instant firstSeen = f.timestamp(history, "first_seen", "history.first_seen");
        Instant lastSeen = f.timestamp(history, "last_seen", "history.last_seen");
        if (firstSeen != null && lastSeen != null && lastSeen.isBefore(firstSeen)) {
            // STIX and the platform both refuse last_seen < first_seen; first_seen is the stable one
            f.unusable("history.last_seen");
            lastSeen = null;
        }
        JsonNode classifications = f.object(item, "classifications", "classifications");
        CtiRecord record = new CtiRecord(
                ip,
                f.keyword(item, "reputation", "reputation"),
                f.keyword(item, "confidence", "confidence"),
                f.text(item, "ip_range", "ip_range"),
                f.smallInteger(item, "ip_range_score", "ip_range_score", 0, 5),
                f.text(item, "as_name", "as_name"),
                f.integer(item, "as_num", "as_num", 0, MAX_ASN),
                f.keyword(item, "background_noise", "background_noise"),
                f.smallInteger(item, "background_noise_score", "background_noise_score", 0, 10),
                origin(f, f.object(item, "location", "location")),
                f.text(item, "reverse_dns", "reverse_dns"),
                items(f, item, "behaviors", "behaviors"),
                items(f, classifications, "classifications", "classifications.classifications"),
                items(f, classifications, "false_positives", "classifications.false_positives"),
                described(f, item, "attack_details", AttackDetail::new),
                mitreTechniques(f, item),
                cves(f, item),
                scores(f, f.object(item, "scores", "scores")),
                firstSeen,
                lastSeen,
                targetCountries(f, f.object(item, "target_countries", "target_countries")),
                described(f, item, "references", Blocklist::new),
                f.unusable());
        return new CtiItem.Parsed(record);
    }

    /**
     * A {@code smoke/search} page. Each item is parsed on its own, so bad items never cost the good ones; a
     * body without an {@code items} array yields no records and says why in {@link CtiPage#problem()}.
     */
    public static CtiPage parsePage(JsonNode page) {
        if (page == null || !page.isObject()) {
            return new CtiPage(List.of(), List.of(), 0, null, "page is not a JSON object");
        }
        String next = nextHref(page);
        JsonNode items = FieldReader.present(page, "items");
        if (items == null) {
            return new CtiPage(List.of(), List.of(), 0, next, "page has no items");
        }
        if (!items.isArray()) {
            return new CtiPage(List.of(), List.of(), 0, next, "items is not an array");
        }
        List<CtiRecord> records = new ArrayList<>(items.size());
        List<CtiPage.Reject> rejected = new ArrayList<>();
        Set<IpAddress> seen = new HashSet<>();
        int duplicates = 0;
        for (int i = 0; i < items.size(); i++) {
            CtiItem parsed = parse(items.get(i));
            if (parsed instanceof CtiItem.Parsed p) {
                if (seen.add(p.record().ip())) {
                    records.add(p.record());
                } else {
                    duplicates++;
                }
            } else if (parsed instanceof CtiItem.Rejected r) {
                rejected.add(new CtiPage.Reject(i, r.reason()));
            }
        }
        return new CtiPage(records, rejected, duplicates, next, null);
    }

    private static String nextHref(JsonNode page) {
        JsonNode links = FieldReader.present(page, "_links");
        JsonNode next = links == null ? null : FieldReader.present(links, "next");
        JsonNode href = next == null ? null : FieldReader.present(next, "href");
        if (href == null || !href.isTextual() || href.textValue().isBlank()) {
            return null;
        }
        return href.textValue().strip();
    }

    private static Origin origin(FieldReader f, JsonNode location) {
        if (location == null) {
            return null;
        }
        return new Origin(
                country(f, f.text(location, "country", "location.country"), "location.country"),
                f.text(location, "city", "location.city"),
                f.decimal(location, "latitude", "location.latitude", -90, 90),
                f.decimal(location, "longitude", "location.longitude", -180, 180));
    }

    /** The upper-case code when ISO 3166-1 knows it, else null (recorded). */
    private static String country(FieldReader f, String code, String path) {
        if (code == null) {
            return null;
        }
        Optional<Countries.Country> country = Countries.byAlpha2(code);
        if (country.isEmpty()) {
            f.unusable(path);
            return null;
        }
        return country.get().alpha2();
    }

    /** Entries with a name or a label; others are recorded. */
    private static List<Item> items(FieldReader f, JsonNode parent, String field, String path) {
        List<Item> items = new ArrayList<>();
        List<JsonNode> elements = f.array(parent, field, path);
        for (int i = 0; i < elements.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode e = elements.get(i);
            Item item = e.isObject()
                    ? new Item(f.text(e, "name", at + ".name"), f.text(e, "label", at + ".label"),
                            f.text(e, "description", at + ".description"))
                    : null;
            if (item == null || (item.name() == null && item.label() == null)) {
                f.unusable(at);
            } else {
                items.add(item);
            }
        }
        return items;
    }

    /** The shape attack details and blocklist references share: a name or label, a description, URLs. */
    @FunctionalInterface
    private interface Described<T> {
        T make(String name, String label, String description, List<String> urls);
    }

    private static <T> List<T> described(FieldReader f, JsonNode item, String field, Described<T> make) {
        List<T> out = new ArrayList<>();
        List<JsonNode> elements = f.array(item, field, field);
        for (int i = 0; i < elements.size(); i++) {
            String at = field + "[" + i + "]";
            JsonNode e = elements.get(i);
            if (!e.isObject()) {
                f.unusable(at);
                continue;
            }
            String name = f.text(e, "name", at + ".name");
            String label = f.text(e, "label", at + ".label");
            if (name == null && label == null) {
                f.unusable(at);
                continue;
            }
            out.add(make.make(name, label, f.text(e, "description", at + ".description"),
                    f.urls(e, "references", at + ".references")));
        }
        return out;
    }

    /** Techniques with a valid ATT&CK id, upper-cased, first occurrence of each id. */
    private static List<Item> mitreTechniques(FieldReader f, JsonNode item) {
        List<Item> techniques = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Item technique : items(f, item, "mitre_techniques", "mitre_techniques")) {
            String id = technique.name() == null ? null : technique.name().toUpperCase(Locale.ROOT);
            if (id == null || !MITRE_ID.matcher(id).matches()) {
                f.unusable("mitre_techniques." + sample(technique.name()));
            } else if (ids.add(id)) {
                techniques.add(new Item(id, technique.label(), technique.description()));
            }
        }
        return techniques;
    }

    private static List<String> cves(FieldReader f, JsonNode item) {
        List<String> cves = new ArrayList<>();
        List<JsonNode> elements = f.array(item, "cves", "cves");
        for (int i = 0; i < elements.size(); i++) {
            JsonNode e = elements.get(i);
            String cve = e.isTextual() ? e.textValue().strip().toUpperCase(Locale.ROOT) : null;
            if (cve == null || !CVE_ID.matcher(cve).matches()) {
                f.unusable("cves[" + i + "]");
            } else if (!cves.contains(cve)) {
                cves.add(cve);
            }
        }
        return cves;
    }

    private static Scores scores(FieldReader f, JsonNode scores) {
        if (scores == null) {
            return null;
        }
        return new Scores(score(f, scores, "overall"), score(f, scores, "last_day"), score(f, scores, "last_week"),
                score(f, scores, "last_month"));
    }

    private static Score score(FieldReader f, JsonNode scores, String window) {
        String at = "scores." + window;
        JsonNode node = f.object(scores, window, at);
        if (node == null) {
            return null;
        }
        return new Score(
                f.smallInteger(node, "aggressiveness", at + ".aggressiveness", 0, 5),
                f.smallInteger(node, "threat", at + ".threat", 0, 5),
                f.smallInteger(node, "trust", at + ".trust", 0, 5),
                f.smallInteger(node, "anomaly", at + ".anomaly", 0, 5),
                f.smallInteger(node, "total", at + ".total", 0, 5));
    }

    /** Known countries in the API's order; an unknown code is dropped, an unusable percentage kept as null. */
    private static Map<String, Integer> targetCountries(FieldReader f, JsonNode countries) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (countries == null) {
            return out;
        }
        countries.fields().forEachRemaining(entry -> {
            String at = "target_countries." + sample(entry.getKey());
            String code = country(f, FieldReader.clean(entry.getKey()), at);
            if (code != null && !out.containsKey(code)) {
                out.put(code, f.smallInteger(countries, entry.getKey(), at, 0, 100));
            }
        });
        return out;
    }

    /**
     * A short, printable-ASCII rendering of an untrusted key for an unusable-field path, so that paths are safe
     * to log.
     */
    private static String sample(String raw) {
        if (raw == null) {
            return "?";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length() && out.length() < 16; i++) {
            char c = raw.charAt(i);
            out.append(c > 0x20 && c < 0x7f && c != '\\' ? c : '?');
        }
        return raw.length() > 16 ? out + "..." : out.toString();
    }
}

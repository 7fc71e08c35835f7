package io.ctifeeds.crowdsec.api;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ctifeeds.ip.IpAddress;

/**
 * One CrowdSec CTI object ({@code CTIObject}: an item of {@code smoke/search}, or the body of {@code smoke/{ip}}),
 * typed and cleaned by {@link CtiParser}. Only {@link #ip} is guaranteed; every other field is null (scalars) or
 * empty (lists, maps) when the API left it out, sent null or the string "None", or sent something unusable. The
 * paths of the unusable ones are in {@link #unusable}, so a run can count and log them.
 *
 * @param ip              the validated, canonical address
 * @param reputation      lower-cased as sent: malicious, suspicious, known, safe, benign, unknown, or a value
 *                        CrowdSec may add later (kept, never rejected)
 * @param confidence      lower-cased as sent: high, medium, low, none, or another value
 * @param ipRange         CIDR text, not validated (informational only)
 * @param ipRangeScore    0..5
 * @param asNum           autonomous system number
 * @param backgroundNoiseScore 0..10
 * @param location        origin of the IP; never null, its parts may be
 * @param behaviors       e.g. {@code ssh:bruteforce} / "SSH Bruteforce"
 * @param classifications e.g. {@code community-blocklist}, {@code scanner:censys}
 * @param falsePositives  any entry means CrowdSec considers the IP benign
 * @param mitreTechniques name is a validated ATT&amp;CK id (T1110 or T1110.001), upper case
 * @param cves            validated CVE ids, upper case, without duplicates
 * @param scores          never null, its windows may be
 * @param firstSeen       {@code history.first_seen}
 * @param lastSeen        {@code history.last_seen}; null when before first_seen (recorded as unusable)
 * @param targetCountries known ISO 3166-1 alpha-2 code (upper case) to percentage (null when unusable), in the
 *                        API's order (most targeted first)
 * @param references      blocklists the IP is on
 * @param unusable        JSON paths of fields that were present but could not be used, e.g. "as_num",
 *                        "target_countries.XX", "behaviors[2]"
 */
public record CtiRecord(
        IpAddress ip,
        String reputation,
        String confidence,
        String ipRange,
        Integer ipRangeScore,
        String asName,
        Long asNum,
        String backgroundNoise,
        Integer backgroundNoiseScore,
        Origin location,
        String reverseDns,
        List<Item> behaviors,
        List<Item> classifications,
        List<Item> falsePositives,
        List<AttackDetail> attackDetails,
        List<Item> mitreTechniques,
        List<String> cves,
        Scores scores,
        Instant firstSeen,
        Instant lastSeen,
        Map<String, Integer> targetCountries,
        List<Blocklist> references,
        List<String> unusable) {

    public CtiRecord {
        Objects.requireNonNull(ip, "ip");
        location = location == null ? Origin.NONE : location;
        scores = scores == null ? Scores.NONE : scores;
        behaviors = List.copyOf(behaviors == null ? List.of() : behaviors);
        classifications = List.copyOf(classifications == null ? List.of() : classifications);
        falsePositives = List.copyOf(falsePositives == null ? List.of() : falsePositives);
        attackDetails = List.copyOf(attackDetails == null ? List.of() : attackDetails);
        mitreTechniques = List.copyOf(mitreTechniques == null ? List.of() : mitreTechniques);
        cves = List.copyOf(cves == null ? List.of() : cves);
        // Map.copyOf would lose the API's order, which is the ranking
        targetCountries = targetCountries == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(targetCountries));
        references = List.copyOf(references == null ? List.of() : references);
        unusable = List.copyOf(unusable == null ? List.of() : unusable);
    }

    /** CrowdSec flags the IP as a false positive (a scanner, a CDN, ...): never an indicator. */
    public boolean isFalsePositive() {
        return !falsePositives.isEmpty();
    }

    /**
     * A named CTI entry (behavior, classification, MITRE technique): at least one of name and label is set.
     */
    public record Item(String name, String label, String description) {
    }

    /** A CrowdSec scenario that fired on the IP, e.g. {@code crowdsecurity/ssh-bf}. */
    public record AttackDetail(String name, String label, String description, List<String> references) {
        public AttackDetail {
            references = List.copyOf(references == null ? List.of() : references);
        }
    }

    /**
     * A blocklist the IP is on.
     *
     * @param urls the http(s) URLs the API gave for it, possibly none
     */
    public record Blocklist(String name, String label, String description, List<String> urls) {
        public Blocklist {
            urls = List.copyOf(urls == null ? List.of() : urls);
        }
    }

    /**
     * Where the IP is.
     *
     * @param country a known ISO 3166-1 alpha-2 code, upper case
     */
    public record Origin(String country, String city, Double latitude, Double longitude) {
        static final Origin NONE = new Origin(null, null, null, null);
    }

    /** CrowdSec's scores over four windows; {@code overall} covers three months. */
    public record Scores(Score overall, Score lastDay, Score lastWeek, Score lastMonth) {
        static final Scores NONE = new Scores(null, null, null, null);
    }

    /** One window's scores, each 0..5 or null. */
    public record Score(Integer aggressiveness, Integer threat, Integer trust, Integer anomaly, Integer total) {
    }
}

package io.ctifeeds.crowdsec.mapping;

import java.util.Comparator;
import java.util.List;

import io.ctifeeds.crowdsec.api.Countries;
import io.ctifeeds.crowdsec.api.CtiRecord.Item;
import io.ctifeeds.crowdsec.api.CtiRecord;
import io.ctifeeds.crowdsec.api.CtiText;
import io.ctifeeds.stix.StixTimestamps;

/**
 * The Markdown body of an IP's note. It holds only what describes the IP durably: reputation, confidence, first
 * seen, origin, network, behaviors, classifications, targeted countries, each list sorted. What moves on every
 * report (last seen, scores, percentages, the order CrowdSec lists things in) is left out: the note id is pycti's
 * hash of this text, so a volatile detail here would make a new note on every run. Those live on the objects
 * that are updated in place (observable score, indicator validity, sighting dates). The IP is in the text so two
 * IPs with the same profile never share a note.
 */
final class NoteContent {

    private NoteContent() {
    }

    static String of(CtiRecord r) {
        StringBuilder md = new StringBuilder(512);
        md.append("CrowdSec CTI for **").append(r.ip().value()).append("**\n\n");
        line(md, "Reputation", r.reputation() == null ? "unknown" : r.reputation());
        line(md, "Confidence", r.confidence());
        line(md, "First seen", r.firstSeen() == null ? null : StixTimestamps.format(r.firstSeen()));
        line(md, "Origin", origin(r.location()));
        line(md, "Autonomous system", autonomousSystem(r));
        line(md, "IP range", r.ipRange());
        line(md, "Reverse DNS", r.reverseDns());
        list(md, "Behaviors", described(r.behaviors()));
        list(md, "Classifications", described(r.classifications()));
        list(md, "False positives", described(r.falsePositives()));
        list(md, "Most targeted countries", r.targetCountries().keySet().stream()
                .map(code -> Countries.byAlpha2(code).map(Countries.Country::name).orElse(code))
                .sorted().toList());
        return md.toString().strip();
    }

    private static String origin(CtiRecord.Origin origin) {
        if (origin.country() == null) {
            return origin.city();
        }
        return origin.city() == null ? origin.country() : origin.country() + " (" + origin.city() + ")";
    }

    private static String autonomousSystem(CtiRecord r) {
        if (r.asNum() == null) {
            return r.asName();
        }
        return r.asName() == null ? "AS" + r.asNum() : "AS" + r.asNum() + " " + r.asName();
    }

    /** "Label: description" entries, sorted, without duplicates. */
    private static List<String> described(List<Item> items) {
        return items.stream()
                .map(i -> {
                    String title = i.label() != null ? i.label() : i.name();
                    return i.description() == null ? title : title + ": " + i.description();
                })
                .distinct()
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    private static void line(StringBuilder md, String title, String value) {
        if (value != null) {
            md.append("**").append(title).append("**: ").append(CtiText.oneLine(value)).append('\n');
        }
    }

    private static void list(StringBuilder md, String title, List<String> values) {
        if (!values.isEmpty()) {
            md.append("**").append(title).append("**:\n");
            values.forEach(v -> md.append("- ").append(CtiText.oneLine(v)).append('\n'));
        }
    }

}

package io.ctifeeds.crowdsec.mapping;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import io.ctifeeds.crowdsec.api.CtiRecord.AttackDetail;
import io.ctifeeds.crowdsec.api.CtiRecord.Item;
import io.ctifeeds.crowdsec.api.CtiRecord;
import io.ctifeeds.stix.Label;

/**
 * The labels of one record, in the official connector's order (MITRE ids, CVEs, behaviors, reputation, scenario
 * names, scenario labels), each kind only when enabled, each with its kind's colour. The platform compares labels
 * case-insensitively, so the first of two values that differ only in case wins.
 */
final class LabelPicker {

    /**
     * Scenarios named after a CVE ({@code crowdsecurity/http-cve-2021-41773}) are left out of the scenario-name
     * labels, as the official connector does: the CVE label already says it.
     */
    private static final Pattern CVE_IN_NAME = Pattern.compile("CVE-\\d{4}-\\d{4,7}", Pattern.CASE_INSENSITIVE);

    private LabelPicker() {
    }

    /** @param labels makes the label of a value and colour (the mapper hands out ones it built before) */
    static List<Label> pick(CtiRecord record, CrowdSecLabels rules, BiFunction<String, String, Label> labels) {
        Picked picked = new Picked(labels);
        if (rules.mitre().enabled()) {
            record.mitreTechniques().forEach(t -> picked.add(t.name(), rules.mitre()));
        }
        if (rules.cve().enabled()) {
            record.cves().forEach(cve -> picked.add(cve, rules.cve()));
        }
        if (rules.behavior().enabled()) {
            record.behaviors().stream().map(Item::name).forEach(name -> picked.add(name, rules.behavior()));
        }
        rules.reputation(record.reputation()).ifPresent(rule -> picked.add(record.reputation(), rule));
        if (rules.scenarioName().enabled()) {
            record.attackDetails().stream().map(AttackDetail::name)
                    .filter(name -> name != null && !CVE_IN_NAME.matcher(name).find())
                    .forEach(name -> picked.add(name, rules.scenarioName()));
        }
        if (rules.scenarioLabel().enabled()) {
            record.attackDetails().stream().map(AttackDetail::label)
                    .forEach(label -> picked.add(label, rules.scenarioLabel()));
        }
        return picked.labels;
    }

    private static final class Picked {
        private final List<Label> labels = new ArrayList<>();
        private final Set<String> values = new HashSet<>();
        private final BiFunction<String, String, Label> factory;

        Picked(BiFunction<String, String, Label> factory) {
            this.factory = factory;
        }

        void add(String value, LabelRule rule) {
            if (value != null && !value.isBlank() && values.add(value.toLowerCase(Locale.ROOT))) {
                labels.add(factory.apply(value, rule.color()));
            }
        }
    }
}

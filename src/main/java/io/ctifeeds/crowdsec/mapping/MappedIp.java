package io.ctifeeds.crowdsec.mapping;

import java.util.ArrayList;
import java.util.List;

import io.ctifeeds.ip.IpAddress;
import io.ctifeeds.stix.StixObject;

/**
 * What one CTI record maps to.
 *
 * @param ip      the record's address
 * @param objects the objects about this IP only (observable, indicator, note, sighting, the IP's relationships),
 *                each exactly once
 * @param shared  objects that other IPs produce with the same id: labels, ATT&amp;CK techniques, CVEs,
 *                countries (all identical for every IP), and the technique-targets-country relationships between
 *                them (stamped with the {@code now} of the mapping that made them).
 *                A bundle keeps one copy of each ({@link io.ctifeeds.bundle.BundleParts}); they come before
 *                {@code objects} because those refer to them
 */
public record MappedIp(IpAddress ip, List<StixObject> objects, List<StixObject> shared) {

    public MappedIp {
        objects = List.copyOf(objects);
        shared = List.copyOf(shared);
    }

    /** Shared objects first, then the IP's own: everything, for a caller that does not dedupe. */
    public List<StixObject> all() {
        List<StixObject> all = new ArrayList<>(shared.size() + objects.size());
        all.addAll(shared);
        all.addAll(objects);
        return all;
    }
}

package io.ctifeeds.opencti;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The STIX types pycti's splitter lets through ({@code supported_types} in
 * {@code pycti/utils/opencti_stix2_splitter.py}, built from {@code opencti_stix2_utils.py}, pycti
 * 6.8.10 to 6.9.17, PROTOCOL §3.1). A ref to any other type is dropped by the splitter, and an
 * object of any other type is reported incompatible instead of being sent. This is the only copy
 * of the list; keep it in step with pycti when the platform adds types.
 */
public final class SupportedTypes {

    /** pycti {@code STIX_META_OBJECTS + STIX_CORE_OBJECTS}. */
    private static final List<String> ENTITIES = List.of(
            "label", "vocabulary", "kill-chain-phase",
            "attack-pattern", "campaign", "case-incident", "x-opencti-case-incident", "case-rfi",
            "x-opencti-case-rfi", "case-rft", "x-opencti-case-rft", "channel", "course-of-action",
            "data-component", "x-mitre-data-component", "data-source", "x-mitre-data-source", "event",
            "external-reference", "feedback", "x-opencti-feedback", "grouping", "identity", "incident",
            "indicator", "infrastructure", "intrusion-set", "language", "location", "malware",
            "malware-analysis", "marking-definition", "narrative", "note", "observed-data", "opinion",
            "report", "task", "x-opencti-task", "threat-actor", "tool", "vulnerability", "security-coverage");

    /** pycti {@code SUPPORTED_INTERNAL_OBJECTS}. */
    private static final List<String> INTERNALS = List.of(
            "user", "group", "capability", "role", "settings", "notification", "work", "trash",
            "draftworkspace", "playbook", "deleteoperation", "workspace", "publicdashboard");

    /** The keys of pycti {@code STIX_CYBER_OBSERVABLE_MAPPING}. */
    private static final List<String> OBSERVABLES = List.of(
            "autonomous-system", "directory", "domain-name", "email-addr", "email-message",
            "email-mime-part-type", "artifact", "file", "x509-certificate", "ipv4-addr", "ipv6-addr",
            "mac-addr", "mutex", "network-traffic", "process", "software", "url", "user-account",
            "windows-registry-key", "windows-registry-value-type", "hostname", "cryptographic-key",
            "cryptocurrency-wallet", "text", "user-agent", "bank-account", "phone-number", "credential",
            "tracking-number", "payment-card", "media-content", "simple-observable", "persona", "ssh-key");

    /** Relationships, sightings, and the PIR object the splitter adds itself. */
    private static final List<String> OTHERS = List.of("relationship", "sighting", "pir");

    private static final Set<String> TYPES = Set.copyOf(
            Stream.of(ENTITIES, INTERNALS, OBSERVABLES, OTHERS).flatMap(List::stream).toList());

    private SupportedTypes() {
    }

    /** Whether the splitter accepts objects of this STIX type (case-sensitive, as in pycti). */
    public static boolean isSupportedType(String stixType) {
        return TYPES.contains(stixType);
    }

    /**
     * pycti {@code is_id_supported}: the part before the first {@code "--"} must be a supported
     * type; a value without {@code "--"} (an OpenCTI internal id, say) is not filtered at all.
     */
    public static boolean isIdSupported(String id) {
        int cut = id.indexOf("--");
        return cut < 0 || TYPES.contains(id.substring(0, cut));
    }

    /** Number of types, for the test that pins the list to pycti's 93. */
    static int count() {
        return TYPES.size();
    }
}

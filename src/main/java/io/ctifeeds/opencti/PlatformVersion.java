package io.ctifeeds.opencti;

import java.util.Comparator;

import io.ctifeeds.stix.IdRules;

/**
 * The platform version {@code about { version }} answers ("6.9.17", "7.260817.0", an LTS "7.260309.0-lts.2"), to
 * pick what the platform accepts (registration fields, multipart works) and the id rules it keys entities on. A
 * qualifier after '-' is ignored: an LTS build has the features of its base release, not of later ones.
 */
public record PlatformVersion(int major, int minor, int patch) implements Comparable<PlatformVersion> {

    /** What an unreadable version is taken for: the newest, whose schema and rules we follow. */
    public static final PlatformVersion NEWEST = new PlatformVersion(Integer.MAX_VALUE, 0, 0);

    private static final Comparator<PlatformVersion> ORDER = Comparator.comparingInt(PlatformVersion::major)
            .thenComparingInt(PlatformVersion::minor).thenComparingInt(PlatformVersion::patch);

    /** Platform 7.260422.0 added {@code workAdd(isMultiPartWork:)}; before it the argument is "Unknown argument". */
    static final PlatformVersion MULTIPART_WORKS = new PlatformVersion(7, 260422, 0);
    /** pycti and platform 7.260416.0 hash a non-blank note abstract into the note's id. */
    static final PlatformVersion NOTE_ABSTRACT_ID = new PlatformVersion(7, 260416, 0);
    /** pycti 7.260529.0 lower-cases and strips {@code x_mitre_id} in attack-pattern ids. */
    static final PlatformVersion MITRE_ID_FOLDED = new PlatformVersion(7, 260529, 0);
    /** Platform 7.260807.0 keeps a new label's case, where before it stored labels lower-cased. */
    static final PlatformVersion LABEL_CASE_KEPT = new PlatformVersion(7, 260807, 0);
    /** OpenCTI 7 sends {@code no_split} in every queue message (pycti 7.260227.0); older workers ignore it. */
    static final PlatformVersion NO_SPLIT_FIELD = new PlatformVersion(7, 0, 0);

    public static PlatformVersion parse(String version) {
        String[] parts = version == null ? new String[0] : version.trim().split("-", 2)[0].split("\\.");
        try {
            return new PlatformVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    Integer.parseInt(parts[2]));
        } catch (RuntimeException e) {
            return NEWEST;
        }
    }

    public boolean atLeast(int maj, int min, int pat) {
        return atLeast(new PlatformVersion(maj, min, pat));
    }

    public boolean atLeast(PlatformVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(PlatformVersion other) {
        return ORDER.compare(this, other);
    }

    /** The id rules of entities this platform keys on (PROTOCOL §5, docs/opencti-versions.md). */
    public IdRules idRules() {
        return new IdRules(atLeast(MITRE_ID_FOLDED), atLeast(NOTE_ABSTRACT_ID), atLeast(LABEL_CASE_KEPT));
    }

    @Override
    public String toString() {
        return equals(NEWEST) ? "newest" : major + "." + minor + "." + patch;
    }
}

package io.ctifeeds.stix;

import java.util.Map;
import java.util.Objects;

/**
 * The id rules that changed between OpenCTI 6 and 7, as one value chosen per run from the platform's version
 * (no platform, as with the folder sink: {@link #NEWEST}). The ids that never changed stay in {@link StixIds}.
 *
 * @param mitreIdFolded  pycti 7.260529.0+: {@code x_mitre_id} lower-cased and stripped, a blank one falls back to
 *                       the name; before, stripped only
 * @param noteAbstract   pycti 7.260416.0+: a non-blank note {@code abstract} (stripped) enters the note's id
 * @param labelCaseKept  platform 7.260807.0+: a new label keeps its case and is only trimmed; before, the platform
 *                       stored it lower-cased
 */
public record IdRules(boolean mitreIdFolded, boolean noteAbstract, boolean labelCaseKept) {

    /** OpenCTI and pycti 6.x (also 7.x before 7.260416.0). */
    public static final IdRules OPENCTI_6 = new IdRules(false, false, false);
    /** OpenCTI 7.260807.0 and later. */
    public static final IdRules NEWEST = new IdRules(true, true, true);

    /** pycti {@code AttackPattern.generate_id}: a MITRE id wins and the name is then ignored. */
    public String attackPattern(String name, String mitreId) {
        if (mitreIdFolded) {
            if (mitreId != null && !PythonText.strip(mitreId).isEmpty()) {
                return StixIds.generate("attack-pattern", Map.of("x_mitre_id",
                        PythonText.strip(PythonText.lower(mitreId))));
            }
            return StixIds.attackPattern(name, null);
        }
        return StixIds.attackPattern(name, mitreId);
    }

    /** pycti {@code Note.generate_id(created, content, abstract)}; the abstract counts only from 7.260416.0. */
    public String note(String created, String content, String noteAbstract) {
        if (!this.noteAbstract || noteAbstract == null || PythonText.strip(noteAbstract).isEmpty()) {
            return StixIds.note(created, content);
        }
        String stripped = PythonText.strip(Objects.requireNonNull(content, "content must not be null"));
        return StixIds.generate("note", created == null
                ? Map.of("content", stripped, "attribute_abstract", PythonText.strip(noteAbstract))
                : Map.of("content", stripped, "created", created, "attribute_abstract",
                        PythonText.strip(noteAbstract)));
    }

    /**
     * The label's value as the platform stores a new label, which its id is computed from: lower-cased and trimmed
     * before 7.260807.0, trimmed only since. pycti hashes the value verbatim; we hash it as the platform stores it
     * (one of the two deliberate deviations, docs/opencti-versions.md), so that the bundle's label is the
     * platform's own.
     */
    public String labelValue(String value) {
        return labelCaseKept ? PythonText.strip(value) : PythonText.strip(PythonText.lower(value));
    }

    /** The id of the label the platform makes of this value ({@link #labelValue}). */
    public String labelId(String value) {
        return StixIds.label(labelValue(value));
    }
}

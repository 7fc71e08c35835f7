package io.ctifeeds.stix;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A STIX 2.1 attack-pattern. With {@code x_mitre_id} set, its id is keyed on that id alone (pycti), so it is the
 * same entity as the MITRE ATT&CK connector's. Author and markings are optional because an ATT&CK technique is a
 * shared entity that a feed should neither claim nor mark.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"type", "spec_version", "id", "created", "modified", "created_by_ref", "name", "description",
    "object_marking_refs", "external_references", "x_mitre_id"})
public record AttackPattern(
        @JsonProperty("id") String id,
        @JsonProperty("created") String created,
        @JsonProperty("modified") String modified,
        @JsonProperty("created_by_ref") String createdByRef,
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("object_marking_refs") List<String> objectMarkingRefs,
        @JsonProperty("external_references") List<ExternalReference> externalReferences,
        @JsonProperty("x_mitre_id") String mitreId) implements StixObject {

    @Override
    @JsonProperty("type")
    public String type() {
        return "attack-pattern";
    }

    @JsonProperty("spec_version")
    public String specVersion() {
        return "2.1";
    }
}

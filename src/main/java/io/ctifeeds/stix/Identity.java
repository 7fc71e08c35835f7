package io.ctifeeds.stix;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The author of what a feed emits (an organization identity), with pycti's deterministic id. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "spec_version", "id", "created", "modified", "name", "identity_class", "description",
    "external_references"})
public record Identity(
        @JsonProperty("id") String id,
        @JsonProperty("created") String created,
        @JsonProperty("modified") String modified,
        @JsonProperty("name") String name,
        @JsonProperty("identity_class") String identityClass,
        @JsonProperty("description") String description,
        @JsonProperty("external_references") List<ExternalReference> externalReferences) implements StixObject {

    /**
     * A fixed created/modified keeps the author object byte-identical across runs, so re-sending it never
     * looks like a new version to the platform.
     */
    private static final String EPOCH = "2020-01-01T00:00:00.000Z";

    public static Identity organization(String name, String description) {
        return organization(name, description, null);
    }

    /** The id depends on the name and class only, so references can be added without changing it. */
    public static Identity organization(String name, String description, List<ExternalReference> references) {
        return new Identity(StixIds.identity(name, "organization"), EPOCH, EPOCH, name, "organization", description,
                references == null ? null : List.copyOf(references));
    }

    @Override
    @JsonProperty("type")
    public String type() {
        return "identity";
    }

    @JsonProperty("spec_version")
    public String specVersion() {
        return "2.1";
    }
}

package io.ctifeeds.stix;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/**
 * A STIX 2.1 marking-definition as it goes into a bundle. Property order follows python-stix2's
 * serialisation so our bundles read like the official connectors'; absent properties are omitted
 * rather than written as null, which the STIX schema would reject.
 *
 * @param name                   null for the OpenCTI statement-style TLP markings (AMBER+STRICT)
 * @param xOpenctiDefinitionType OpenCTI extension, null for the stix2 TLP constants
 * @param xOpenctiDefinition     OpenCTI extension, null for the stix2 TLP constants
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "spec_version", "id", "created", "definition_type", "name", "definition",
        "x_opencti_definition_type", "x_opencti_definition"})
public record MarkingDefinition(
        @JsonProperty("type") String type,
        @JsonProperty("spec_version") String specVersion,
        @JsonProperty("id") String id,
        @JsonProperty("created") String created,
        @JsonProperty("definition_type") String definitionType,
        @JsonProperty("name") String name,
        @JsonProperty("definition") Map<String, String> definition,
        @JsonProperty("x_opencti_definition_type") String xOpenctiDefinitionType,
        @JsonProperty("x_opencti_definition") String xOpenctiDefinition) implements StixObject {

    public MarkingDefinition {
        definition = definition == null ? null : Map.copyOf(definition);
    }
}

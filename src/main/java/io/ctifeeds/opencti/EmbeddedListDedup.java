package io.ctifeeds.opencti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ctifeeds.stix.StixIds;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The splitter's clean-up of the two embedded lists, {@code external_references} and
 * {@code kill_chain_phases}: entries are keyed on the deterministic id pycti would give them
 * (PROTOCOL §5), the first entry of each id is kept, later ones dropped, order kept. An external
 * reference without a url and without both source_name and external_id has no id and is dropped.
 * A kill chain phase always has one (missing names hash as null), so it is only de-duplicated.
 *
 * <p>One instance serves one split. It memoises the id of each url: every object of a feed
 * usually carries the same reference, and the id costs a SHA-1.
 */
final class EmbeddedListDedup {

    private final Map<String, String> idsByUrl = new HashMap<>();

    /** @return the list without id-less and repeated references (the same node if nothing went) */
    JsonNode externalReferences(String objectId, JsonNode references) {
        return dedup(objectId, "external_references", references, this::externalReferenceId);
    }

    /** @return the list without repeated phases (the same node if nothing went) */
    JsonNode killChainPhases(String objectId, JsonNode phases) {
        return dedup(objectId, "kill_chain_phases", phases, EmbeddedListDedup::killChainPhaseId);
    }

    private static JsonNode dedup(String objectId, String key, JsonNode list, Function<JsonNode, String> idOf) {
        if (!list.isArray()) {
            throw new IllegalArgumentException(objectId + ": " + key + " is not a list");
        }
        int n = list.size();
        Set<String> seen = new HashSet<>(n * 2);
        ArrayNode kept = null; // allocated on the first entry dropped
        for (int i = 0; i < n; i++) {
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                throw new IllegalArgumentException(objectId + ": " + key + "[" + i + "] is not an object");
            }
            String id = idOf.apply(entry);
            boolean keep = id != null && seen.add(id);
            if (!keep && kept == null) {
                kept = JsonNodeFactory.instance.arrayNode(n);
                for (int j = 0; j < i; j++) {
                    kept.add(list.get(j));
                }
            } else if (keep && kept != null) {
                kept.add(entry);
            }
        }
        return kept == null ? list : kept;
    }

    private String externalReferenceId(JsonNode reference) {
        JsonNode url = valueOf(reference, "url");
        JsonNode sourceName = valueOf(reference, "source_name");
        JsonNode externalId = valueOf(reference, "external_id");
        if (url != null) {
            return url.isTextual()
                    ? idsByUrl.computeIfAbsent(url.textValue(), u -> StixIds.externalReference(u, null, null))
                    : StixIds.generate("external-reference", Map.of("url", url));
        }
        if (sourceName == null || externalId == null) {
            return null;
        }
        return sourceName.isTextual() && externalId.isTextual()
                ? StixIds.externalReference(null, sourceName.textValue(), externalId.textValue())
                : StixIds.generate("external-reference", Map.of("source_name", sourceName, "external_id", externalId));
    }

    private static String killChainPhaseId(JsonNode phase) {
        JsonNode phaseName = valueOf(phase, "phase_name");
        JsonNode killChainName = valueOf(phase, "kill_chain_name");
        if ((phaseName == null || phaseName.isTextual()) && (killChainName == null || killChainName.isTextual())) {
            return StixIds.killChainPhase(text(phaseName), text(killChainName));
        }
        Map<String, Object> data = new LinkedHashMap<>(); // may hold nulls, which Map.of refuses
        data.put("phase_name", phaseName);
        data.put("kill_chain_name", killChainName);
        return StixIds.generate("kill-chain-phase", data);
    }

    /**
     * Python's {@code dict.get(key)}: an absent key and a JSON null are both None. Non-string
     * values (pycti would hash a number or a list as given) go to the id generator as JSON.
     */
    private static JsonNode valueOf(JsonNode object, String key) {
        JsonNode value = object.get(key);
        return value == null || value.isNull() ? null : value;
    }

    private static String text(JsonNode node) {
        return node == null ? null : node.textValue();
    }
}

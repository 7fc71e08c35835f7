package io.ctifeeds.stix;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link StixIds#killChainPhase}. Expected ids are Python's
 * {@code uuid.uuid5(UUID("00abedb4-aa42-466c-9c01-fed23315a9b7"), canonical)} of the canonical
 * strings {@code {"kill_chain_name":"mitre-attack","phase_name":"initial-access"}} and
 * {@code {"kill_chain_name":"mitre-attack","phase_name":null}}, computed with CPython, not with
 * this code.
 */
class KillChainPhaseIdTest {

    @Test
    void namesAreHashedVerbatim() {
        assertEquals("kill-chain-phase--669c7069-0cda-5e65-8ce0-002e631ee320",
                StixIds.killChainPhase("initial-access", "mitre-attack"));
    }

    @Test
    void missingNameIsHashedAsNullAsInPycti() {
        assertEquals("kill-chain-phase--67b134c5-6af7-5411-af81-08f91e302e02",
                StixIds.killChainPhase(null, "mitre-attack"));
    }
}

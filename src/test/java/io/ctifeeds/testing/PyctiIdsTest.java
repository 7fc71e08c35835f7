package io.ctifeeds.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The test-side ids of an IP against ids printed by src/test/resources/opencti/gen-pycti-ids.py (and pycti's). */
class PyctiIdsTest {

    @Test
    void pythonsUuid5() {
        // pycti 6.8.10 vectors: Indicator.generate_id of these two patterns
        assertEquals("indicator--3f9758b6-144d-5992-9772-87f2fbd9dc47", PyctiIds.indicator("1.10.16.0/20"));
        assertEquals("indicator--55dcfb16-818b-5e43-991b-33b5dc5a1175", PyctiIds.indicator("2a02:c207:2054:5555::1"));
    }

    @Test
    void theThreeIdsOfAnIpAreTheScripts() {
        // gen-pycti-ids.py 1.2.3.4 (also PROTOCOL.md 5.4)
        assertEquals("ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4", PyctiIds.observable("1.2.3.4"));
        assertEquals("indicator--274128a4-2ad4-50b5-ae7b-b0dea1fa9861", PyctiIds.indicator("1.2.3.4"));
        assertEquals("relationship--a787645d-9c70-51d7-b74a-91f3c0a88d3f", PyctiIds.basedOn("1.2.3.4"));
        // gen-pycti-ids.py 77.90.185.20 2001:db8:4f1a::25
        assertEquals("ipv4-addr--74a44d48-5b29-5582-806b-81fe98b0cbf3", PyctiIds.observable("77.90.185.20"));
        assertEquals("indicator--7f50540a-b321-5187-b8f6-fa7283fcc092", PyctiIds.indicator("77.90.185.20"));
        assertEquals("relationship--b37f7c93-ff2f-5447-95c1-d718bacda0c7", PyctiIds.basedOn("77.90.185.20"));
        assertEquals("ipv6-addr--38f16ce9-e7f4-51f8-aa6d-92370364ee8d", PyctiIds.observable("2001:db8:4f1a::25"));
        assertEquals("indicator--7f7dfeee-6f7d-5b7b-be45-d37dd382e9dd", PyctiIds.indicator("2001:db8:4f1a::25"));
        assertEquals("relationship--a9f0f276-7e9d-580c-957f-3731b598d569", PyctiIds.basedOn("2001:db8:4f1a::25"));
    }

    @Test
    void refusesWhatTheTemplateCannotWrite() {
        assertThrows(IllegalArgumentException.class, () -> PyctiIds.indicator("1.2.3.4'"));
    }
}

package io.ctifeeds.crowdsec.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ctifeeds.crowdsec.api.CtiRecord;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.opencti.OpenCtiConnector;
import io.ctifeeds.opencti.OpenCtiException;
import io.ctifeeds.stix.Tlp;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code CROWDSEC_MAX_TLP} as the official connector applies it: an IP whose observable in OpenCTI is marked above
 * the maximum (say TLP:RED, with TLP:AMBER allowed) is left alone. Unlike the official connector, the platform is
 * asked once per page, not once per IP; an observable the platform lacks, or one without a TLP, passes.
 * Without OpenCTI configured there is nothing to compare with, and every IP passes.
 */
public class MaxTlpFilter {

    private static final Logger LOG = LoggerFactory.getLogger(MaxTlpFilter.class);

    private Tlp maxTlp;
    private OpenCtiConnector platform;

    /** Body in and out: records; those over the maximum are counted as skipped. */
    public List<CtiRecord> filter(List<CtiRecord> records, @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        if (records.isEmpty() || maxTlp == Tlp.RED || platform == null || !platform.isConfigured()) {
            return records;
        }
        Map<String, Tlp> marked;
        try {
            marked = platform.observableTlps(records.stream().map(r -> r.ip().value()).toList());
        } catch (OpenCtiException e) {
            // the bundles will wait in the dead-letter folder anyway; losing the page would be worse
            LOG.warn("{}: cannot read the TLP of existing observables from OpenCTI ({}); not filtering this page",
                    run.feed(), e.getMessage());
            return records;
        }
        List<CtiRecord> allowed = new ArrayList<>(records.size());
        for (CtiRecord record : records) {
            Tlp tlp = marked.get(record.ip().value());
            if (maxTlp.allows(tlp)) {
                allowed.add(record);
            } else {
                run.increment(FeedRun.Counter.SKIPPED);
                LOG.debug("{}: {} is marked {} in OpenCTI, above CROWDSEC_MAX_TLP {}; skipped", run.feed(),
                        record.ip().value(), tlp.openctiName(), maxTlp.openctiName());
            }
        }
        return allowed;
    }

    public void setMaxTlp(String maxTlp) {
        this.maxTlp = Tlp.fromConfig(maxTlp);
    }

    /** The platform whose markings are compared; without its URL and token every IP passes. */
    public void setPlatform(OpenCtiConnector platform) {
        this.platform = platform;
    }
}

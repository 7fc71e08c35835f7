package io.ctifeeds.deadletter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-sends dead letters, oldest first, through the sink endpoint they failed on. A file is deleted only
 * once its delivery was confirmed; the first failure ends the pass (the platform is still down) and
 * keeps every remaining file for the next one.
 */
public class DeadLetterReplay implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final DeadLetterStore store;
    private CamelContext camelContext;
    private ProducerTemplate template;
    private String sinkUri = "direct:deliver-opencti-once";

    /** The outcome of one pass. */
    public record Pass(int delivered, int waiting, String stoppedBy) {
    }

    public DeadLetterReplay(DeadLetterStore store) {
        this.store = store;
    }

    public synchronized Pass replayAll() {
        store.releaseStaleClaims();
        List<Path> files = store.waiting();
        int delivered = 0;
        int unreadable = 0;
        for (Path file : files) {
            Path claimed;
            DeadLetterStore.Letter letter;
            try {
                claimed = store.claim(file);
                if (claimed == null) {
                    continue; // another replica has it
                }
            } catch (IOException e) {
                LOG.error("dead letter {} cannot be claimed ({}); check the folder's permissions", file,
                        e.getMessage());
                continue;
            }
            try {
                letter = store.read(claimed);
            } catch (IOException e) {
                LOG.error("dead letter {} cannot be read ({}); move it away or fix it", file, e.getMessage());
                // back under its own name: it stays counted as waiting and in sight of whoever fixes it
                releaseQuietly(claimed);
                unreadable++;
                continue;
            }
            Exchange answer = template().send(sinkUri, exchange -> exchange.getMessage().setBody(letter.payload()));
            if (answer.getException() != null) {
                String reason = answer.getException().getMessage();
                releaseQuietly(claimed);
                LOG.warn("dead-letter replay paused: {} of {} delivered, {} still waiting ({})", delivered,
                        files.size(), files.size() - delivered, reason);
                return new Pass(delivered, files.size() - delivered, reason);
            }
            try {
                Files.deleteIfExists(claimed);
            } catch (IOException e) {
                LOG.error("dead letter {} was delivered but cannot be deleted ({}); it will be sent again",
                        claimed, e.getMessage());
            }
            delivered++;
        }
        if (unreadable > 0) {
            LOG.warn("dead-letter replay: {} delivered, {} unreadable still waiting", delivered, unreadable);
        } else if (!files.isEmpty()) {
            LOG.info("dead-letter replay: {} delivered, none waiting", delivered);
        }
        return new Pass(delivered, unreadable, null);
    }

    private void releaseQuietly(Path claimed) {
        try {
            store.release(claimed);
        } catch (IOException e) {
            LOG.warn("dead letter {} stays claimed ({}); it is released later", claimed, e.getMessage());
        }
    }

    private ProducerTemplate template() {
        if (template == null) {
            template = camelContext.createProducerTemplate();
        }
        return template;
    }

    public void setSinkUri(String sinkUri) {
        this.sinkUri = sinkUri;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}

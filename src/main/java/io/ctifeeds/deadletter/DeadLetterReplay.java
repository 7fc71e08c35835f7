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
 * once its delivery was confirmed; the first outage ends the pass (the platform is still down) and keeps every
 * remaining file for the next one. A letter the platform refuses for good is set aside in {@code rejected/} and
 * the pass goes on.
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
        int rejected = 0;
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
            if (answer.getException() != null && refusedForGood(answer.getException())) {
                setAside(claimed, answer.getException().getMessage());
                rejected++;
                continue;
            }
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
        if (unreadable > 0 || rejected > 0) {
            LOG.warn("dead-letter replay: {} delivered, {} refused and set aside in {}, {} unreadable still waiting",
                    delivered, rejected, store.rejectedFolder(), unreadable);
        } else if (!files.isEmpty()) {
            LOG.info("dead-letter replay: {} delivered, none waiting", delivered);
        }
        return new Pass(delivered, unreadable, null);
    }

    /**
     * The platform refused the letter itself (a validation error, a bundle it does not accept), not an outage:
     * the same letter gets the same answer on every pass.
     */
    static boolean refusedForGood(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof PermanentRefusal || e instanceof IllegalArgumentException
                    || e instanceof org.apache.camel.InvalidPayloadException) {
                return true;
            }
        }
        return false;
    }

    private void setAside(Path claimed, String reason) {
        try {
            Path rejected = store.reject(claimed);
            LOG.warn("dead letter {} refused by OpenCTI for good ({}); moved to {}, not replayed again: fix it and "
                    + "move it back into {} to replay it", rejected.getFileName(), reason, rejected.getParent(),
                    store.getDirectory());
        } catch (IOException e) {
            LOG.error("dead letter {} refused by OpenCTI for good ({}) cannot be moved to {} ({}); it is tried again",
                    claimed.getFileName(), reason, store.rejectedFolder(), e.getMessage());
            releaseQuietly(claimed);
        }
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

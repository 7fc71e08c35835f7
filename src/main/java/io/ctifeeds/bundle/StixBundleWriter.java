package io.ctifeeds.bundle;

import io.ctifeeds.stix.StixObject;
import io.ctifeeds.stix.StixJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.ctifeeds.feed.BundleHeaders;
import io.ctifeeds.feed.FeedRun;
import org.apache.camel.Exchange;

/**
 * Turns the aggregated objects into a STIX bundle (JSON bytes) that carries the author and marking its
 * objects reference. Body in: {@link BundleParts}; body out: the bundle, or null when there is nothing to send.
 */
public class StixBundleWriter {

    private static final ObjectWriter WRITER = StixJson.MAPPER.writer();

    public byte[] write(Exchange exchange) {
        BundleParts parts = exchange.getMessage().getBody(BundleParts.class);
        if (parts == null || parts.size() == 0) {
            return null;
        }
        FeedRun run = exchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        List<StixObject> common = run.commonObjects();
        byte[] json = toJson(common, parts.objects());
        exchange.getMessage().setHeader(BundleHeaders.OBJECTS, common.size() + parts.size());

        exchange.getMessage().setHeader(BundleHeaders.FILE_NAME,
                String.format("%s-%05d.json", run.id(), run.nextBundleSeq()));
        return json;
    }

    static byte[] toJson(List<StixObject> common, List<StixObject> objects) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 * (common.size() + objects.size()));
        try (JsonGenerator json = StixJson.MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", "bundle");
            json.writeStringField("id", "bundle--" + UUID.randomUUID());
            json.writeFieldName("objects");
            // one writeValue for the whole array: one serializer provider and its cache per bundle, not per object
            List<StixObject> all = new ArrayList<>(common.size() + objects.size());
            all.addAll(common);
            all.addAll(objects);
            WRITER.writeValue(json, all);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

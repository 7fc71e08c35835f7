package io.ctifeeds.crowdsec.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The mapping as it ships: the bean properties of routes/crowdsec-mapping.camel.yaml with application.properties'
 * values, bound as Camel binds them. What the seed's defaults give, read from where users change them, not from a
 * copy that could drift.
 */
public final class ShippedMapping {

    private static final CrowdSecMapping SHIPPED = load();

    private ShippedMapping() {
    }

    public static CrowdSecMapping defaults() {
        return SHIPPED;
    }

    @SuppressWarnings("unchecked")
    private static CrowdSecMapping load() {
        Map<String, Object> properties;
        CrowdSecStix stix = new CrowdSecStix();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            List<Map<String, Object>> file = (List<Map<String, Object>>) new Load(LoadSettings.builder().build())
                    .loadFromString(Files.readString(Path.of("routes", "crowdsec-mapping.camel.yaml")));
            List<Map<String, Object>> beans = (List<Map<String, Object>>) file.get(0).get("beans");
            properties = (Map<String, Object>) beans.stream().filter(b -> "crowdsecStix".equals(b.get("name")))
                    .findFirst().orElseThrow().get("properties");
            context.getPropertiesComponent().setLocation("file:application.properties");
            Map<String, Object> resolved = new LinkedHashMap<>();
            properties.forEach((k, v) -> resolved.put(k, context.resolvePropertyPlaceholders(String.valueOf(v))));
            PropertyBindingSupport.build().withMandatory(true).bind(context, stix, resolved);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stix.mapping();
    }
}

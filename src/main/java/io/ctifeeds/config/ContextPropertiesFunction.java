package io.ctifeeds.config;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesFunction;

/** A properties function computed from other settings, read through Camel so environment variables count. */
abstract class ContextPropertiesFunction implements PropertiesFunction, CamelContextAware {

    private CamelContext camelContext;

    protected String property(String key, String defaultValue) {
        return camelContext.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse(defaultValue);
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

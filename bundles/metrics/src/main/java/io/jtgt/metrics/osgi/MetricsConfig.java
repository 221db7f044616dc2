package io.jtgt.metrics.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/io.jtgt.metrics.cfg} (optional). */
@ObjectClassDefinition(name = "jtgt metrics", description = "JMX MXBeans of LUNs and sessions")
public @interface MetricsConfig {

    String PID = "io.jtgt.metrics";

    @AttributeDefinition(description = "Seconds between checks for LUNs and sessions that came or went "
            + "(their MXBeans are registered or unregistered then); attribute values are always current", min = "1", max = "3600")
    int jmxRefreshSeconds() default 2;
}

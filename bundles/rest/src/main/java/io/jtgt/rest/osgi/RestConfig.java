package io.jtgt.rest.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/io.jtgt.rest.cfg} (optional): who may use the REST API and /metrics. */
@ObjectClassDefinition(name = "jtgt REST API", description = "Authentication and roles of the REST API and /jtgt/metrics")
public @interface RestConfig {

    String PID = "io.jtgt.rest";

    @AttributeDefinition(description = "JAAS realm that checks the HTTP Basic credentials (Karaf's, as for the SSH shell)")
    String realm() default "karaf";

    @AttributeDefinition(description = "Role a user needs to read (GET): listings, stats, metrics, the exported JSON")
    String readRole() default "viewer";

    @AttributeDefinition(description = "Role a user needs to change anything (POST, PUT, DELETE); it may read too")
    String writeRole() default "admin";
}

package io.jtgt.metrics.jmx;

/** A live session (I_T nexus): {@code io.jtgt:type=Session,target="<iqn>",tsih=<n>}. */
public interface SessionMXBean extends IoStatisticsMXBean {

    String getTarget();

    int getTsih();

    String getInitiatorName();

    String getIsid();
}

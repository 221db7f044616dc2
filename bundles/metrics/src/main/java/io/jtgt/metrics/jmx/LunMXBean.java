package io.jtgt.metrics.jmx;

/** A mapped LUN: {@code io.jtgt:type=Lun,target="<iqn>",lun=<n>}. */
public interface LunMXBean extends IoStatisticsMXBean {

    String getTarget();

    int getLun();

    long getDeviceId();

    /** ONLINE, OFFLINE, NO_BACKEND, OPENING or FAILED. */
    String getState();

    long getSizeBytes();
}

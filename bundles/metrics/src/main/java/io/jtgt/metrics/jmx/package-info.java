/**
 * JMX view of the I/O counters: one MXBean per mapped LUN ({@code io.jtgt:type=Lun,target="...",lun=N})
 * and per live session ({@code io.jtgt:type=Session,target="...",tsih=N}). {@link
 * io.jtgt.metrics.jmx.JmxPublisher} keeps the set of registered names in step with {@link
 * io.jtgt.scsi.api.ManagementService}; every attribute is read live from it.
 */
package io.jtgt.metrics.jmx;

/**
 * jtgt's I/O counters for monitoring, in plain Java: {@link io.jtgt.metrics.JtgtMetrics} renders
 * {@link io.jtgt.scsi.api.ManagementService}'s snapshots as Prometheus text ({@link
 * io.jtgt.metrics.PrometheusText}), {@code io.jtgt.metrics.jmx} publishes them as MXBeans.
 */
package io.jtgt.metrics;

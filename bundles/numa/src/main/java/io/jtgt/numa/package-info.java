/**
 * NUMA awareness (gotgt's {@code performance.enableNUMA}, {@code numaBufferPoolSize},
 * {@code numaBufferSize}; per storage {@code enableNUMA}, {@code numaNode}): the topology read
 * from {@code /sys/devices/system/node}, one pooled direct-buffer allocator per node whose memory
 * is first touched by threads pinned to that node, and thread factories that pin. Plain Java:
 * {@link io.jtgt.numa.NumaPlacement} is constructed with {@code new} (or {@link
 * io.jtgt.numa.NumaPlacement#inactive()}) and handed to the transport and the backends. On a
 * machine with one node (or with NUMA off) the placement is inactive and changes nothing.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.jtgt.numa;

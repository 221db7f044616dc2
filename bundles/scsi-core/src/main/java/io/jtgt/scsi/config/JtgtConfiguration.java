package io.jtgt.scsi.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole configuration, as one gotgt JSON file holds it.
 *
 * @param performance the gotgt {@code performance} keys unchanged (Config Admin singleton {@value ConfigPids#PERFORMANCE})
 */
public record JtgtConfiguration(
        List<StorageDefinition> storages,
        List<PortalDefinition> portals,
        List<TargetDefinition> targets,
        Map<String, Object> performance) {

    public JtgtConfiguration {
        storages = List.copyOf(storages);
        portals = List.copyOf(portals);
        targets = List.copyOf(targets);
        performance = Collections.unmodifiableMap(new LinkedHashMap<>(performance));
    }
}

package io.jtgt.iscsi.osgi;

import io.jtgt.iscsi.auth.AccessRules;
import io.jtgt.iscsi.server.IscsiServer;
import io.jtgt.iscsi.server.TransportSettings;
import io.jtgt.numa.NumaPlacement;
import io.jtgt.scsi.api.AccessRulesInForce;
import io.jtgt.scsi.api.TargetRegistry;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the one {@link IscsiServer} of the framework, configured by the optional singleton PID
 * {@code io.jtgt.iscsi} (the {@link TransportSettings} property names). A change of that
 * configuration restarts the server and, through their static reference, every portal.
 *
 * <p>The {@code io.jtgt.auth} configurations are read here, before the server exists, so that no
 * portal ever serves a CHAP-protected target without its rule; {@link AccessRuleComponent}s then
 * keep the rules current. The optional {@link NumaPlacement} spreads the connection loops over
 * the NUMA nodes (performance.enableNUMA on a multi-node machine).
 */
@Component(
        service = {IscsiServerComponent.class, AccessRulesInForce.class},
        configurationPid = "io.jtgt.iscsi",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
public final class IscsiServerComponent implements AccessRulesInForce {

    private static final Logger LOG = LoggerFactory.getLogger(IscsiServerComponent.class);

    private final IscsiServer server;

    @Activate
    public IscsiServerComponent(@Reference TargetRegistry registry, @Reference ConfigurationAdmin configurations,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            NumaPlacement numa, Map<String, Object> properties) {
        TransportSettings settings;
        try {
            settings = TransportSettings.fromProperties(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("io.jtgt.iscsi: {}; using the default iSCSI settings", e.getMessage());
            settings = TransportSettings.defaults();
        }
        this.server = new IscsiServer(registry, settings, preloadAccessRules(configurations),
                numa == null ? NumaPlacement.inactive() : numa);
    }

    private static AccessRules preloadAccessRules(ConfigurationAdmin configurations) {
        AccessRules rules = new AccessRules();
        Configuration[] existing;
        try {
            existing = configurations.listConfigurations(
                    "(service.factoryPid=" + AccessRuleComponent.FACTORY_PID + ")");
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot read the " + AccessRuleComponent.FACTORY_PID
                    + " configurations", e);
        }
        if (existing != null) {
            for (Configuration configuration : existing) {
                Dictionary<String, Object> properties = configuration.getProperties();
                if (properties != null) {
                    AccessRuleComponent.apply(rules, configuration.getPid(), toMap(properties));
                }
            }
        }
        return rules;
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> dictionary) {
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = dictionary.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            map.put(key, dictionary.get(key));
        }
        return map;
    }

    public IscsiServer server() {
        return server;
    }

    @Override
    public boolean inForce(String target, Map<String, ?> properties) {
        return server.accessRules().inForce(target, properties);
    }

    @Deactivate
    void deactivate() {
        server.close();
    }
}

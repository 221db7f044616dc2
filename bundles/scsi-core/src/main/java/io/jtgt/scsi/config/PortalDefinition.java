package io.jtgt.scsi.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One network portal (a gotgt {@code iscsiportals} entry, factory PID {@value ConfigPids#PORTAL}).
 *
 * @param id the gotgt portal {@code id}, referred to by target portal groups
 * @param host the address to listen on (IPv6 without brackets)
 * @param port the TCP port; 0 picks a free one (tests)
 */
public record PortalDefinition(int id, String host, int port) {

    public static final String ID = "id";
    public static final String PORTAL = "portal";
    /** RFC 7143 13: the well-known iSCSI port, used when {@code portal} names none. */
    public static final int DEFAULT_PORT = 3260;

    /** {@code host:port}, IPv6 hosts in brackets. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    public static PortalDefinition fromProperties(Map<String, ?> props) {
        int id = (int) ConfigValues.longValue("portal", props, ID, 0, 65535, null);
        String owner = "portal " + id;
        String portal = ConfigValues.stringValue(owner, props, PORTAL, null);
        String host;
        String portText = null;
        if (portal.startsWith("[")) {
            int close = portal.indexOf(']');
            if (close < 0) {
                throw ConfigException.field(owner, PORTAL, portal, "has an unclosed '['");
            }
            host = portal.substring(1, close);
            String rest = portal.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw ConfigException.field(owner, PORTAL, portal, "is not host:port");
                }
                portText = rest.substring(1);
            }
        } else {
            int colon = portal.lastIndexOf(':');
            if (colon >= 0 && portal.indexOf(':') != colon) {
                throw ConfigException.field(owner, PORTAL, portal, "is an IPv6 address without [brackets]");
            }
            host = colon < 0 ? portal : portal.substring(0, colon);
            portText = colon < 0 ? null : portal.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw ConfigException.field(owner, PORTAL, portal, "has no host");
        }
        int port = DEFAULT_PORT;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw ConfigException.field(owner, PORTAL, portal, "has no valid port");
            }
            if (port < 0 || port > 65535) {
                throw ConfigException.field(owner, PORTAL, portal, "has a port out of range (0..65535)");
            }
        }
        return new PortalDefinition(id, host, port);
    }

    public Map<String, Object> toProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(ID, id);
        props.put(PORTAL, address());
        return props;
    }
}

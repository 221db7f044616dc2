package io.jtgt.admin;

import org.osgi.service.cm.Configuration;

/**
 * One jtgt object as Config Admin holds it: the parsed definition and the configuration it came
 * from (to update or delete exactly that one).
 */
record Stored<T>(Configuration configuration, T definition) {

    String pid() {
        return configuration.getPid();
    }
}

package io.jtgt.admin;

import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

/** Conversions between Config Admin dictionaries and the definitions' property maps. */
final class Properties {

    private Properties() {}

    /**
     * Keys Config Admin, SCR, file install or the importer add on their own: kept as they are on an
     * update (file install finds its file again through {@code felix.fileinstall.filename}), never
     * part of the object.
     */
    static boolean isFrameworkKey(String key) {
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.")
                || key.startsWith("osgi.") || key.startsWith("jtgt.") || key.startsWith("karaf.")
                || key.startsWith(".");
    }

    /** A configuration's properties as a map (empty for a configuration not written yet). */
    static Map<String, Object> toMap(Dictionary<String, Object> dictionary) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (dictionary != null) {
            for (String key : Collections.list(dictionary.keys())) {
                map.put(key, dictionary.get(key));
            }
        }
        return map;
    }

    /**
     * What to write: the object's properties as plain strings, as an operator would type them in a
     * {@code .cfg} file (file install then writes them without type prefixes, and the components read
     * strings like any other value), plus the framework keys the configuration already had, except
     * those Config Admin maintains itself.
     */
    static Dictionary<String, Object> toDictionary(Map<String, ?> own, Map<String, Object> previous) {
        Hashtable<String, Object> dictionary = new Hashtable<>();
        previous.forEach((k, v) -> {
            if (isFrameworkKey(k) && !k.equals("service.pid") && !k.equals("service.factoryPid")
                    && !k.equals("service.bundleLocation")) {
                dictionary.put(k, v);
            }
        });
        own.forEach((k, v) -> {
            if (v != null) {
                dictionary.put(k, String.valueOf(v));
            }
        });
        return dictionary;
    }

    /** The object's own properties: everything but the framework keys. */
    static Map<String, Object> own(Map<String, Object> all) {
        Map<String, Object> map = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (!isFrameworkKey(k)) {
                map.put(k, v);
            }
        });
        return map;
    }
}

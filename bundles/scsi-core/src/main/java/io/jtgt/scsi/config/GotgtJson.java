package io.jtgt.scsi.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the gotgt JSON configuration file ({@code storages}, {@code iscsiportals},
 * {@code iscsitargets}, {@code performance}; field names as in the seed). Storage fields other
 * than the known ones become backend options. The whole file is validated before anything is
 * returned, so a caller never applies half a file.
 */
public final class GotgtJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> TOP_LEVEL = Set.of("storages", "iscsiportals", "iscsitargets", "performance");

    private GotgtJson() {}

    /** Reads and validates a file; every problem is a {@link ConfigException} naming the file and the field. */
    public static JtgtConfiguration read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": file not found");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses and validates JSON text. */
    public static JtgtConfiguration parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ConfigException("invalid JSON" + (loc == null ? "" : " at line " + loc.getLineNr()
                    + " column " + loc.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("the top level is not a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!TOP_LEVEL.contains(field)) {
                throw new ConfigException("unknown top-level field \"" + field
                        + "\" (storages, iscsiportals, iscsitargets, performance)");
            }
        }
        List<StorageDefinition> storages = readStorages(root.get("storages"));
        List<PortalDefinition> portals = readPortals(root.get("iscsiportals"));
        List<TargetDefinition> targets = readTargets(root.get("iscsitargets"));
        Map<String, Object> performance = readPerformance(root.get("performance"));
        checkReferences(storages, portals, targets);
        return new JtgtConfiguration(storages, portals, targets, performance);
    }

    private static List<StorageDefinition> readStorages(JsonNode node) {
        List<StorageDefinition> result = new ArrayList<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isArray()) {
            throw new ConfigException("storages is not an array");
        }
        Set<Long> seen = new HashSet<>();
        int index = 0;
        for (JsonNode entry : node) {
            if (!entry.isObject()) {
                throw new ConfigException("storages[" + index + "] is not an object");
            }
            Map<String, Object> props = new LinkedHashMap<>();
            entry.fields().forEachRemaining(f -> props.put(f.getKey(), scalar(f.getValue())));
            StorageDefinition def;
            try {
                def = StorageDefinition.fromProperties(props);
            } catch (ConfigException e) {
                throw new ConfigException("storages[" + index + "]: " + e.getMessage(), e);
            }
            if (!seen.add(def.deviceId())) {
                throw new ConfigException("storages[" + index + "]: deviceID=" + def.deviceId() + " is used twice");
            }
            result.add(def);
            index++;
        }
        return result;
    }

    private static List<PortalDefinition> readPortals(JsonNode node) {
        List<PortalDefinition> result = new ArrayList<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isArray()) {
            throw new ConfigException("iscsiportals is not an array");
        }
        Set<Integer> seen = new HashSet<>();
        int index = 0;
        for (JsonNode entry : node) {
            if (!entry.isObject()) {
                throw new ConfigException("iscsiportals[" + index + "] is not an object");
            }
            Map<String, Object> props = new LinkedHashMap<>();
            entry.fields().forEachRemaining(f -> props.put(f.getKey(), scalar(f.getValue())));
            for (String key : props.keySet()) {
                if (!key.equals(PortalDefinition.ID) && !key.equals(PortalDefinition.PORTAL)) {
                    throw new ConfigException("iscsiportals[" + index + "]: unknown field \"" + key + "\" (id, portal)");
                }
            }
            PortalDefinition def;
            try {
                def = PortalDefinition.fromProperties(props);
            } catch (ConfigException e) {
                throw new ConfigException("iscsiportals[" + index + "]: " + e.getMessage(), e);
            }
            if (!seen.add(def.id())) {
                throw new ConfigException("iscsiportals[" + index + "]: id=" + def.id() + " is used twice");
            }
            result.add(def);
            index++;
        }
        return result;
    }

    private static List<TargetDefinition> readTargets(JsonNode node) {
        List<TargetDefinition> result = new ArrayList<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            throw new ConfigException("iscsitargets is not an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode body = e.getValue();
            String owner = "iscsitargets." + name;
            if (!body.isObject()) {
                throw new ConfigException(owner + " is not an object");
            }
            Map<String, Object> props = new LinkedHashMap<>();
            props.put(TargetDefinition.NAME, name);
            for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> f = fields.next();
                switch (f.getKey()) {
                    case "tpgts" -> {
                        if (!f.getValue().isObject()) {
                            throw new ConfigException(owner + ": tpgts is not an object");
                        }
                        f.getValue().fields().forEachRemaining(g -> {
                            if (!g.getValue().isArray()) {
                                throw new ConfigException(owner + ": tpgts." + g.getKey() + "=" + g.getValue()
                                        + " is not an array of portal ids");
                            }
                            List<String> ids = new ArrayList<>();
                            g.getValue().forEach(id -> {
                                if (!id.canConvertToLong() || !id.isIntegralNumber()) {
                                    throw new ConfigException(owner + ": tpgts." + g.getKey() + "=" + g.getValue()
                                            + " holds a portal id that is not a number: " + id);
                                }
                                ids.add(id.asText());
                            });
                            props.put(TargetDefinition.TPGT_PREFIX + g.getKey(), ids);
                        });
                    }
                    case "luns" -> {
                        if (!f.getValue().isObject()) {
                            throw new ConfigException(owner + ": luns is not an object");
                        }
                        f.getValue().fields().forEachRemaining(l -> props.put(TargetDefinition.LUN_PREFIX + l.getKey(),
                                scalar(l.getValue())));
                    }
                    default -> {
                        // jtgt's optional per-target transport limits; a gotgt file simply has none
                        if (!TargetLimits.isKey(f.getKey())) {
                            throw new ConfigException(owner + ": unknown field \"" + f.getKey() + "\" (tpgts, luns, "
                                    + String.join(", ", TargetLimits.KEYS) + ")");
                        }
                        props.put(f.getKey(), scalar(f.getValue()));
                    }
                }
            }
            try {
                result.add(TargetDefinition.fromProperties(props));
            } catch (ConfigException ex) {
                throw new ConfigException("iscsitargets: " + ex.getMessage(), ex);
            }
        }
        return result;
    }

    private static Map<String, Object> readPerformance(JsonNode node) {
        Map<String, Object> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            throw new ConfigException("performance is not an object");
        }
        node.fields().forEachRemaining(f -> {
            if (f.getValue().isContainerNode()) {
                throw new ConfigException("performance." + f.getKey() + "=" + f.getValue() + " is not a single value");
            }
            if (!f.getValue().isNull()) {
                result.put(f.getKey(), scalar(f.getValue()));
            }
        });
        // The NUMA keys are read by the numa bundle; a wrong type or range is refused here, naming the field.
        ConfigValues.booleanValue("performance", result, "enableNUMA", false);
        ConfigValues.longValue("performance", result, "numaBufferPoolSize", 1, 1 << 16, 1024L);
        ConfigValues.longValue("performance", result, "numaBufferSize", 4096, 64L << 20, 262144L);
        // Read by the file backend; absent, it keeps its default (the 0 here is only a placeholder).
        ConfigValues.longValue("performance", result, "fileIoThreads", 1, 1024, 0L);
        return result;
    }

    private static void checkReferences(List<StorageDefinition> storages, List<PortalDefinition> portals,
            List<TargetDefinition> targets) {
        Set<Long> devices = new HashSet<>();
        storages.forEach(s -> devices.add(s.deviceId()));
        Set<Integer> portalIds = new HashSet<>();
        portals.forEach(p -> portalIds.add(p.id()));
        for (TargetDefinition t : targets) {
            t.luns().forEach((lun, id) -> {
                if (!devices.contains(id)) {
                    throw new ConfigException("iscsitargets." + t.name() + ": luns." + lun + "=" + id
                            + " names no storage deviceID");
                }
            });
            t.portalGroups().forEach((tag, ids) -> ids.forEach(id -> {
                if (!portalIds.contains(id)) {
                    throw new ConfigException("iscsitargets." + t.name() + ": tpgts." + tag + " portal id " + id
                            + " names no iscsiportals entry");
                }
            }));
        }
    }

    /** JSON scalar to the Java value Config Admin would hold; containers become their JSON text. */
    private static Object scalar(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToInt() ? (Object) v.intValue() : (Object) v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isNull()) {
            return null;
        }
        return v.toString();
    }

    /** Writes a configuration as gotgt JSON; {@link #parse} reads it back equal. */
    public static String write(JtgtConfiguration config) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode storages = root.putArray("storages");
        for (StorageDefinition s : config.storages()) {
            ObjectNode n = storages.addObject();
            n.put(StorageDefinition.DEVICE_ID, s.deviceId());
            n.put(StorageDefinition.PATH, s.path());
            n.put(StorageDefinition.ONLINE, s.online());
            n.put(StorageDefinition.BACKEND_TYPE, s.backendType());
            n.put(StorageDefinition.BLOCK_SHIFT, s.blockShift());
            if (s.deviceSize() > 0) {
                n.put(StorageDefinition.DEVICE_SIZE, s.deviceSize());
            }
            n.put(StorageDefinition.THIN_PROVISIONING, s.thinProvisioning());
            if (s.readOnly()) {
                n.put(StorageDefinition.READ_ONLY, true);
            }
            if (s.removable()) {
                n.put(StorageDefinition.REMOVABLE, true);
            }
            if (s.physicalBlockShift() != 0) {
                n.put(StorageDefinition.PHYSICAL_BLOCK_SHIFT, s.physicalBlockShift());
            }
            if (s.sanitizeRate() != 0) {
                n.put(StorageDefinition.SANITIZE_RATE, s.sanitizeRate());
            }
            s.options().forEach((k, v) -> putOption(n, k, v));
        }
        ArrayNode portals = root.putArray("iscsiportals");
        for (PortalDefinition p : config.portals()) {
            portals.addObject().put(PortalDefinition.ID, p.id()).put(PortalDefinition.PORTAL, p.address());
        }
        ObjectNode targets = root.putObject("iscsitargets");
        for (TargetDefinition t : config.targets()) {
            ObjectNode n = targets.putObject(t.name());
            ObjectNode tpgts = n.putObject("tpgts");
            t.portalGroups().forEach((tag, ids) -> {
                ArrayNode a = tpgts.putArray(String.valueOf(tag));
                ids.forEach(a::add);
            });
            ObjectNode luns = n.putObject("luns");
            t.luns().forEach((lun, id) -> luns.put(String.valueOf(lun), id));
            t.limits().toProperties().forEach((key, value) -> n.set(key, MAPPER.valueToTree(value)));
        }
        if (!config.performance().isEmpty()) {
            root.set("performance", MAPPER.valueToTree(config.performance()));
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise configuration", e);
        }
    }

    /** Writes {@link #write(JtgtConfiguration)} to a file. */
    public static void write(JtgtConfiguration config, Path file) throws IOException {
        Files.writeString(file, write(config));
    }

    /** Options are strings in the model; write back the JSON type they most likely had. */
    private static void putOption(ObjectNode n, String key, String value) {
        if (value.equals("true") || value.equals("false")) {
            n.put(key, Boolean.parseBoolean(value));
        } else if (value.matches("-?(0|[1-9][0-9]{0,17})")) {
            n.put(key, Long.parseLong(value));
        } else {
            n.put(key, value);
        }
    }
}

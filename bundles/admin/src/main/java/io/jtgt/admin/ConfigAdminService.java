package io.jtgt.admin;

import io.jtgt.scsi.api.AccessRulesInForce;
import io.jtgt.scsi.api.AdminService;
import io.jtgt.scsi.api.ManagementService;
import io.jtgt.scsi.api.ManagementService.SessionView;
import io.jtgt.scsi.config.ConfigException;
import io.jtgt.scsi.config.ConfigPids;
import io.jtgt.scsi.config.GotgtJson;
import io.jtgt.scsi.config.JtgtConfiguration;
import io.jtgt.scsi.config.PortalDefinition;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import io.jtgt.scsi.spi.StorageConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AdminService} on Config Admin. Each call reads the jtgt configurations afresh (so hand
 * edits of etc/ are seen), computes and validates the new state of the objects it touches, and
 * only then writes. Changes that take several writes are ordered so that every intermediate state
 * is valid too: what is referenced is created before what refers to it, and removed after.
 * Configurations are created as named factory configurations with location "?" (any bundle's
 * component may consume them, Config Admin 104.4.1), which Karaf's file install saves as
 * {@code etc/<factoryPid>-<name>.cfg}.
 */
public class ConfigAdminService implements AdminService {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigAdminService.class);
    private static final String ANY_LOCATION = "?";
    private static final String FILTER = "(|(service.factoryPid=" + ConfigPids.STORAGE + ")(service.factoryPid="
            + ConfigPids.PORTAL + ")(service.factoryPid=" + ConfigPids.TARGET + ")(service.factoryPid="
            + ConfigNames.AUTH + ")(service.pid=" + ConfigPids.PERFORMANCE + "))";
    // RFC 7143 4.2.7.1, RFC 3721: iqn.yyyy-mm.reversed.domain[:anything], eui.<16 hex>, naa.<16|32 hex>
    private static final Pattern ISCSI_NAME = Pattern.compile(
            "iqn\\.\\d{4}-\\d{2}\\.[a-z0-9][a-z0-9.-]*(:[^\\s,]+)?|eui\\.[0-9a-f]{16}|naa\\.([0-9a-f]{16}|[0-9a-f]{32})",
            Pattern.CASE_INSENSITIVE);

    private final ConfigurationAdmin configAdmin;
    /** Karaf's etc/ (file install's folder), or null when there is none: Config Admin only. */
    private final CfgFiles files;
    /**
     * PIDs whose configuration (and file) this service deleted, with when. File install deletes
     * the file of a deleted configuration when Config Admin's asynchronous CM_DELETED event for
     * that PID reaches it, and then the configuration of that file: a configuration re-created at
     * once under the same name (acl-remove, then chap-set on the same target) would lose its new
     * file and then itself. So a deleted name is not reused for {@link #REUSE_DELAY_NANOS}.
     */
    private final Map<String, Long> deletedPids = new java.util.HashMap<>();

    /** Far longer than Config Admin takes to deliver an event. */
    static final long REUSE_DELAY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    /** The running target's sessions, to tell whether a LUN is in use; null: none are known. */
    private final ManagementService running;
    /**
     * How long an access change waits for the transport to obey it. Config Admin delivers in
     * milliseconds; past this the change is answered anyway (it is saved) with a warning.
     */
    long inForceWaitMillis = 10_000;

    /** Changes Config Admin only (its own store keeps them; nothing in an etc/ folder). */
    public ConfigAdminService(ConfigurationAdmin configAdmin) {
        this(configAdmin, null);
    }

    /**
     * @param etcDir the folder Felix file install watches (Karaf: {@code karaf.etc}); new
     *     configurations get their {@code .cfg} file there. Null: Config Admin only.
     */
    public ConfigAdminService(ConfigurationAdmin configAdmin, Path etcDir) {
        this(configAdmin, etcDir, null);
    }

    /**
     * @param running the running target whose sessions make a LUN "in use" ({@link #unmapLun(String,
     *     int, boolean)}); null when there is none (then no LUN is ever in use)
     */
    public ConfigAdminService(ConfigurationAdmin configAdmin, Path etcDir, ManagementService running) {
        this.configAdmin = Objects.requireNonNull(configAdmin, "configAdmin");
        this.files = etcDir == null ? null : new CfgFiles(etcDir);
        this.running = running;
    }

    // ---- storages

    @Override
    public synchronized StorageDefinition createStorage(Map<String, ?> properties) {
        StorageDefinition storage = StorageDefinition.fromProperties(properties);
        ConfigSnapshot snapshot = snapshot();
        Stored<StorageDefinition> existing = snapshot.storages.get(storage.deviceId());
        if (existing != null) {
            throw ConfigException.conflict("storage " + storage.deviceId() + ": deviceID=" + storage.deviceId()
                    + " exists already (" + existing.pid() + ")");
        }
        for (Stored<StorageDefinition> other : snapshot.storages.values()) {
            StorageDefinition o = other.definition();
            if (o.backendType().equals(storage.backendType()) && o.location().equals(storage.location())) {
                throw ConfigException.conflict("storage " + storage.deviceId() + ": path=" + storage.path()
                        + " is used by storage " + o.deviceId() + " already");
            }
        }
        String pid = create(snapshot, ConfigPids.STORAGE, ConfigNames.storage(storage.deviceId()), storage.toProperties());
        LOG.info("storage {} created ({} {}): {}", storage.deviceId(), storage.backendType(), storage.location(), pid);
        return storage;
    }

    @Override
    public synchronized void removeStorage(long deviceId, boolean force) {
        ConfigSnapshot snapshot = snapshot();
        Stored<StorageDefinition> storage = requireStorage(snapshot, deviceId);
        List<Stored<TargetDefinition>> users = snapshot.targets.values().stream()
                .filter(t -> t.definition().luns().containsValue(deviceId)).toList();
        if (!users.isEmpty() && !force) {
            throw ConfigException.conflict("storage " + deviceId + ": is mapped to " + users.stream()
                    .map(t -> describeLuns(t.definition(), deviceId)).collect(Collectors.joining(", "))
                    + "; unmap it first or force the removal");
        }
        for (Stored<TargetDefinition> user : users) {
            Map<String, Object> props = Properties.own(Properties.toMap(user.configuration().getProperties()));
            user.definition().luns().forEach((lun, id) -> {
                if (id == deviceId) {
                    props.remove(TargetDefinition.LUN_PREFIX + lun);
                }
            });
            validTarget(props);
            update(user, props);
            LOG.info("target {}: unmapped {} (forced removal of storage {})", user.definition().name(),
                    describeLuns(user.definition(), deviceId), deviceId);
        }
        delete(storage.configuration());
        LOG.info("storage {} removed", deviceId);
    }

    private static String describeLuns(TargetDefinition target, long deviceId) {
        return target.luns().entrySet().stream().filter(e -> e.getValue() == deviceId)
                .map(e -> "LUN " + e.getKey()).collect(Collectors.joining(", ")) + " of " + target.name();
    }

    @Override
    public synchronized StorageDefinition setStorageOnline(long deviceId, boolean online) {
        Stored<StorageDefinition> storage = requireStorage(snapshot(), deviceId);
        Map<String, Object> props = Properties.own(Properties.toMap(storage.configuration().getProperties()));
        props.put(StorageDefinition.ONLINE, online);
        StorageDefinition result = StorageDefinition.fromProperties(props);
        update(storage, props);
        LOG.info("storage {} {}", deviceId, online ? "online" : "offline");
        return result;
    }

    @Override
    public synchronized StorageDefinition resizeStorage(long deviceId, long newSize) {
        Stored<StorageDefinition> storage = requireStorage(snapshot(), deviceId);
        StorageDefinition current = storage.definition();
        if (newSize <= 0 || newSize % current.blockSize() != 0) {
            throw new ConfigException("storage " + deviceId + ": size " + newSize + " is not a positive multiple of its "
                    + current.blockSize() + "-byte blocks");
        }
        if (newSize < current.deviceSize()) {
            throw new ConfigException("storage " + deviceId + ": size " + newSize + " is smaller than its deviceSize "
                    + current.deviceSize() + "; shrinking a LUN is refused (the data past the new end would be lost)");
        }
        Map<String, Object> props = Properties.own(Properties.toMap(storage.configuration().getProperties()));
        props.put(StorageDefinition.DEVICE_SIZE, newSize);
        StorageDefinition result = StorageDefinition.fromProperties(props);
        update(storage, props);
        LOG.info("storage {}: deviceSize {} -> {}", deviceId, current.deviceSize(), newSize);
        return result;
    }

    // ---- targets and LUNs

    @Override
    public synchronized TargetDefinition createTarget(String name, Map<Integer, List<Integer>> portalGroups) {
        ConfigSnapshot snapshot = snapshot();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(TargetDefinition.NAME, name);
        Map<Integer, List<Integer>> groups = portalGroups == null ? Map.of() : portalGroups;
        if (groups.isEmpty() && !snapshot.portals.isEmpty()) {
            groups = Map.of(1, List.copyOf(snapshot.portals.keySet()));
        }
        groups.forEach((tag, ids) -> props.put(TargetDefinition.TPGT_PREFIX + tag,
                ids.stream().map(String::valueOf).collect(Collectors.joining(","))));
        TargetDefinition target = validTarget(props);
        Stored<TargetDefinition> existing = snapshot.target(target.name());
        if (existing != null) {
            throw ConfigException.conflict("target " + target.name() + ": exists already (" + existing.pid() + ")");
        }
        checkPortals(snapshot, target);
        String pid = create(snapshot, ConfigPids.TARGET, ConfigNames.target(target.name()), target.toProperties());
        LOG.info("target {} created: {}", target.name(), pid);
        return target;
    }

    @Override
    public synchronized void removeTarget(String name) {
        ConfigSnapshot snapshot = snapshot();
        Stored<TargetDefinition> target = requireTarget(snapshot, name);
        // The target goes first: its access rule must not be lifted while it still serves.
        delete(target.configuration());
        Stored<AccessRuleConfig> rule = snapshot.accessRules.get(ConfigSnapshot.key(name));
        if (rule != null) {
            delete(rule.configuration());
        }
        LOG.info("target {} removed", target.definition().name());
    }

    @Override
    public synchronized TargetDefinition mapLun(String targetName, int lun, long deviceId) {
        ConfigSnapshot snapshot = snapshot();
        Stored<TargetDefinition> target = requireTarget(snapshot, targetName);
        String owner = "target " + target.definition().name();
        Long mapped = target.definition().luns().get(lun);
        if (mapped != null) {
            throw ConfigException.conflict(owner + ": " + TargetDefinition.LUN_PREFIX + lun + "=" + mapped
                    + " is mapped already; unmap it first");
        }
        if (!snapshot.storages.containsKey(deviceId)) {
            throw ConfigException.notFound(owner + ": " + TargetDefinition.LUN_PREFIX + lun + "=" + deviceId
                    + " names no storage deviceID");
        }
        Map<String, Object> props = Properties.own(Properties.toMap(target.configuration().getProperties()));
        props.put(TargetDefinition.LUN_PREFIX + lun, deviceId);
        TargetDefinition result = validTarget(props);
        update(target, props);
        LOG.info("{}: LUN {} mapped to storage {}", owner, lun, deviceId);
        return result;
    }

    @Override
    public synchronized TargetDefinition unmapLun(String targetName, int lun) {
        return unmapLun(targetName, lun, false);
    }

    @Override
    public synchronized TargetDefinition unmapLun(String targetName, int lun, boolean force) {
        Stored<TargetDefinition> target = requireTarget(snapshot(), targetName);
        String owner = "target " + target.definition().name();
        if (!target.definition().luns().containsKey(lun)) {
            throw ConfigException.notFound(owner + ": LUN " + lun + " is not mapped");
        }
        List<SessionView> sessions = sessionsOf(target.definition().name());
        if (!sessions.isEmpty() && !force) {
            throw ConfigException.conflict(owner + ": LUN " + lun + " is in use: " + describe(sessions)
                    + "; log them out first (jtgt:session-logout) or force the removal");
        }
        Map<String, Object> props = Properties.own(Properties.toMap(target.configuration().getProperties()));
        props.keySet().removeIf(k -> k.startsWith(TargetDefinition.LUN_PREFIX)
                && k.substring(TargetDefinition.LUN_PREFIX.length()).trim().equals(String.valueOf(lun)));
        TargetDefinition result = validTarget(props);
        update(target, props);
        LOG.info("{}: LUN {} unmapped{}", owner, lun, sessions.isEmpty() ? "" : " (forced, " + describe(sessions) + ")");
        return result;
    }

    /** The sessions logged in to a target (iSCSI names compare case-insensitively, RFC 3722). */
    private List<SessionView> sessionsOf(String target) {
        return running == null ? List.of()
                : running.sessions().stream().filter(s -> s.target().equalsIgnoreCase(target)).toList();
    }

    private static String describe(List<SessionView> sessions) {
        return sessions.size() + (sessions.size() == 1 ? " session is" : " sessions are") + " logged in to the target ("
                + sessions.stream().map(s -> "TSIH " + s.tsih() + " from " + s.initiatorName())
                        .collect(Collectors.joining(", ")) + ")";
    }

    // ---- portals

    @Override
    public synchronized PortalDefinition createPortal(int id, String address) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(PortalDefinition.ID, id);
        props.put(PortalDefinition.PORTAL, address);
        PortalDefinition portal = PortalDefinition.fromProperties(props);
        ConfigSnapshot snapshot = snapshot();
        Stored<PortalDefinition> existing = snapshot.portals.get(id);
        if (existing != null) {
            throw ConfigException.conflict("portal " + id + ": id=" + id + " exists already (" + existing.pid() + ")");
        }
        for (Stored<PortalDefinition> other : snapshot.portals.values()) {
            if (other.definition().address().equals(portal.address()) && portal.port() != 0) {
                throw ConfigException.conflict("portal " + id + ": portal=" + portal.address() + " is portal "
                        + other.definition().id() + " already");
            }
        }
        String pid = create(snapshot, ConfigPids.PORTAL, ConfigNames.portal(id), portal.toProperties());
        LOG.info("portal {} created ({}): {}", id, portal.address(), pid);
        return portal;
    }

    @Override
    public synchronized void removePortal(int id, boolean force) {
        ConfigSnapshot snapshot = snapshot();
        Stored<PortalDefinition> portal = snapshot.portals.get(id);
        if (portal == null) {
            throw ConfigException.notFound("portal " + id + ": does not exist");
        }
        List<Stored<TargetDefinition>> users = snapshot.targets.values().stream()
                .filter(t -> t.definition().portalGroups().values().stream().anyMatch(ids -> ids.contains(id))).toList();
        if (!users.isEmpty() && !force) {
            throw ConfigException.conflict("portal " + id + ": is in a portal group of " + users.stream()
                    .map(t -> t.definition().name()).collect(Collectors.joining(", "))
                    + "; take it out first or force the removal");
        }
        for (Stored<TargetDefinition> user : users) {
            Map<String, Object> props = Properties.own(Properties.toMap(user.configuration().getProperties()));
            user.definition().portalGroups().forEach((tag, ids) -> {
                if (ids.contains(id)) {
                    props.keySet().removeIf(k -> isGroupKey(k, tag));
                    List<Integer> rest = ids.stream().filter(p -> p != id).toList();
                    if (!rest.isEmpty()) {
                        props.put(TargetDefinition.TPGT_PREFIX + tag, join(rest));
                    }
                }
            });
            validTarget(props);
            update(user, props);
        }
        delete(portal.configuration());
        LOG.info("portal {} removed", id);
    }

    @Override
    public synchronized TargetDefinition addPortalToGroup(String targetName, int tag, int portalId) {
        ConfigSnapshot snapshot = snapshot();
        Stored<TargetDefinition> target = requireTarget(snapshot, targetName);
        String owner = "target " + target.definition().name();
        if (!snapshot.portals.containsKey(portalId)) {
            throw ConfigException.notFound(owner + ": portal id " + portalId + " names no portal");
        }
        List<Integer> ids = new ArrayList<>(target.definition().portalGroups().getOrDefault(tag, List.of()));
        if (ids.contains(portalId)) {
            throw ConfigException.conflict(owner + ": portal " + portalId + " is in portal group " + tag + " already");
        }
        ids.add(portalId);
        Map<String, Object> props = Properties.own(Properties.toMap(target.configuration().getProperties()));
        props.keySet().removeIf(k -> isGroupKey(k, tag));
        props.put(TargetDefinition.TPGT_PREFIX + tag, join(ids));
        TargetDefinition result = validTarget(props);
        update(target, props);
        LOG.info("{}: portal {} added to portal group {}", owner, portalId, tag);
        return result;
    }

    @Override
    public synchronized TargetDefinition removePortalFromGroup(String targetName, int tag, int portalId) {
        Stored<TargetDefinition> target = requireTarget(snapshot(), targetName);
        String owner = "target " + target.definition().name();
        List<Integer> ids = new ArrayList<>(target.definition().portalGroups().getOrDefault(tag, List.of()));
        if (!ids.remove((Integer) portalId)) {
            throw ConfigException.notFound(owner + ": portal " + portalId + " is not in portal group " + tag);
        }
        Map<String, Object> props = Properties.own(Properties.toMap(target.configuration().getProperties()));
        props.keySet().removeIf(k -> isGroupKey(k, tag));
        if (!ids.isEmpty()) {
            props.put(TargetDefinition.TPGT_PREFIX + tag, join(ids));
        }
        TargetDefinition result = validTarget(props);
        update(target, props);
        LOG.info("{}: portal {} taken out of portal group {}", owner, portalId, tag);
        return result;
    }

    private static boolean isGroupKey(String key, int tag) {
        return key.startsWith(TargetDefinition.TPGT_PREFIX)
                && key.substring(TargetDefinition.TPGT_PREFIX.length()).trim().equals(String.valueOf(tag));
    }

    private static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    // ---- access rules

    @Override
    public synchronized AccessView addInitiator(String target, String initiatorName) {
        ConfigSnapshot snapshot = snapshot();
        String name = requireAccessTarget(snapshot, target);
        String initiator = initiatorName == null ? "" : initiatorName.trim();
        if (initiator.length() > 223 || !ISCSI_NAME.matcher(initiator).matches()) {
            throw new ConfigException("target " + name + ": initiator=" + initiator
                    + " is not an iSCSI name (iqn.yyyy-mm.domain[:id], eui. or naa.)");
        }
        Stored<AccessRuleConfig> rule = snapshot.accessRules.get(ConfigSnapshot.key(name));
        AccessRuleConfig current = rule == null ? AccessRuleConfig.empty(name) : rule.definition();
        AccessRuleConfig result = current.withInitiator(initiator);
        write(snapshot, rule, result);
        LOG.info("target {}: initiator {} allowed", name, initiator);
        return result.toView();
    }

    @Override
    public synchronized AccessView removeInitiator(String target, String initiatorName) {
        ConfigSnapshot snapshot = snapshot();
        Stored<AccessRuleConfig> rule = existingRule(snapshot, target);
        String name = rule != null ? rule.definition().target() : requireAccessTarget(snapshot, target);
        if (rule == null) {
            throw ConfigException.notFound("target " + name + ": initiator " + initiatorName + " is not on its list");
        }
        AccessRuleConfig result = rule.definition().withoutInitiator(initiatorName == null ? "" : initiatorName.trim());
        write(snapshot, rule, result);
        LOG.info("target {}: initiator {} no longer on the list", name, initiatorName);
        return result.toView();
    }

    @Override
    public synchronized AccessView setChap(String target, String userName, String secret, String mutualUserName,
            String mutualSecret) {
        ConfigSnapshot snapshot = snapshot();
        String name = requireAccessTarget(snapshot, target);
        Stored<AccessRuleConfig> rule = snapshot.accessRules.get(ConfigSnapshot.key(name));
        AccessRuleConfig current = rule == null ? AccessRuleConfig.empty(name) : rule.definition();
        AccessRuleConfig result = current.withChap(userName, secret, mutualUserName, mutualSecret);
        write(snapshot, rule, result);
        LOG.info("target {}: CHAP required (user {}{})", name, result.userName(),
                result.mutualUserName() == null ? "" : ", mutual as " + result.mutualUserName());
        return result.toView();
    }

    @Override
    public synchronized AccessView removeChap(String target) {
        ConfigSnapshot snapshot = snapshot();
        Stored<AccessRuleConfig> rule = existingRule(snapshot, target);
        String name = rule != null ? rule.definition().target() : requireAccessTarget(snapshot, target);
        if (rule == null || rule.definition().userName() == null) {
            throw ConfigException.notFound("target " + name + ": has no CHAP account");
        }
        AccessRuleConfig result = rule.definition().withoutChap();
        write(snapshot, rule, result);
        LOG.info("target {}: CHAP no longer required", name);
        return result.toView();
    }

    @Override
    public synchronized List<AccessView> accessRules() {
        return snapshot().accessRules.values().stream().map(r -> r.definition().toView()).toList();
    }

    /** Creates, updates or (when it no longer restricts anything) deletes a target's access rule. */
    private void write(ConfigSnapshot snapshot, Stored<AccessRuleConfig> rule, AccessRuleConfig result) {
        if (rule == null) {
            create(snapshot, ConfigNames.AUTH, ConfigNames.auth(result.target()), result.toProperties());
        } else if (result.isOpen()) {
            delete(rule.configuration());
        } else {
            update(rule, result.toProperties());
        }
        awaitInForce(result.target(), result.isOpen() ? null : result.toProperties());
    }

    /**
     * The transport's rules in force, so that an access change is answered once the next login
     * obeys it (a removed initiator or a new CHAP account must not let one more login through);
     * null when no transport runs here.
     */
    protected AccessRulesInForce accessRulesInForce() {
        return null;
    }

    private void awaitInForce(String target, Map<String, ?> properties) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(inForceWaitMillis);
        for (;;) {
            AccessRulesInForce transport = accessRulesInForce();
            if (transport == null || transport.inForce(target, properties)) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                LOG.warn("target {}: the access rule is saved, but logins did not obey it within {} ms;"
                        + " they will once Config Admin delivers it", target, inForceWaitMillis);
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The rule of a target, even one whose target is gone (its .cfg file deleted by hand): taking
     * things off such a rule must stay possible.
     */
    private static Stored<AccessRuleConfig> existingRule(ConfigSnapshot snapshot, String target) {
        return target == null ? null : snapshot.accessRules.get(ConfigSnapshot.key(target.trim()));
    }

    private static String requireAccessTarget(ConfigSnapshot snapshot, String target) {
        if (target != null && target.trim().equalsIgnoreCase(DISCOVERY)) {
            return DISCOVERY;
        }
        return requireTarget(snapshot, target).definition().name();
    }

    // ---- gotgt JSON

    @Override
    public synchronized JtgtConfiguration configuration() {
        return configuration(snapshot());
    }

    private static JtgtConfiguration configuration(ConfigSnapshot snapshot) {
        return new JtgtConfiguration(
                snapshot.storages.values().stream().map(Stored::definition).toList(),
                snapshot.portals.values().stream().map(Stored::definition).toList(),
                snapshot.targets.values().stream().map(Stored::definition).toList(),
                snapshot.performanceProperties());
    }

    @Override
    public synchronized String exportJson() {
        ConfigSnapshot snapshot = snapshot();
        snapshot.invalid().forEach(problem -> LOG.warn("not exported (invalid configuration): {}", problem));
        JtgtConfiguration config = configuration(snapshot);
        // secrets are write-only, here as in every listing: importJson keeps the stored value of a masked one
        return GotgtJson.write(new JtgtConfiguration(
                config.storages().stream().map(s -> s.withOptions(s.maskedOptions())).toList(),
                config.portals(), config.targets(), config.performance()));
    }

    /**
     * {@code imported} with each secret option given as {@value StorageConfig#MASKED} (as
     * {@link #exportJson} writes it) replaced by the value stored for that storage; refused when
     * there is none to keep.
     */
    private static StorageDefinition withStoredSecrets(StorageDefinition imported, Stored<StorageDefinition> stored) {
        Map<String, String> options = new TreeMap<>(imported.options());
        boolean filled = false;
        for (Map.Entry<String, String> option : options.entrySet()) {
            if (StorageConfig.isSecretOption(option.getKey()) && StorageConfig.MASKED.equals(option.getValue())) {
                String kept = stored == null ? null : stored.definition().options().get(option.getKey());
                if (kept == null) {
                    throw new ConfigException("storage " + imported.deviceId() + ": " + option.getKey() + " is "
                            + StorageConfig.MASKED + " (masked, as exports show secrets) and no value is stored for it"
                            + " to keep: give the secret itself");
                }
                option.setValue(kept);
                filled = true;
            }
        }
        return filled ? imported.withOptions(options) : imported;
    }

    @Override
    public synchronized JtgtConfiguration importJson(String json, boolean replace) {
        JtgtConfiguration parsed = GotgtJson.parse(json);
        ConfigSnapshot snapshot = snapshot();
        JtgtConfiguration config = new JtgtConfiguration(parsed.storages().stream()
                .map(st -> withStoredSecrets(st, snapshot.storages.get(st.deviceId()))).toList(),
                parsed.portals(), parsed.targets(), parsed.performance());
        // What is referenced first: storages and portals, then the targets, then what goes.
        for (StorageDefinition s : config.storages()) {
            put(snapshot, ConfigPids.STORAGE, ConfigNames.storage(s.deviceId()), snapshot.storages.get(s.deviceId()),
                    s, s.toProperties());
        }
        for (PortalDefinition p : config.portals()) {
            put(snapshot, ConfigPids.PORTAL, ConfigNames.portal(p.id()), snapshot.portals.get(p.id()), p, p.toProperties());
        }
        for (TargetDefinition t : config.targets()) {
            put(snapshot, ConfigPids.TARGET, ConfigNames.target(t.name()), snapshot.target(t.name()), t, t.toProperties());
        }
        if (!config.performance().isEmpty() && !config.performance().equals(snapshot.performanceProperties())) {
            putSingleton(snapshot.performance, ConfigPids.PERFORMANCE, config.performance());
        }
        if (replace) {
            removeAllBut(snapshot, config);
        }
        LOG.info("gotgt JSON imported{}: {} storages, {} portals, {} targets", replace ? " (replacing)" : "",
                config.storages().size(), config.portals().size(), config.targets().size());
        return config;
    }

    private <T> void put(ConfigSnapshot snapshot, String factoryPid, String name, Stored<T> existing, T wanted,
            Map<String, Object> props) {
        if (existing == null) {
            create(snapshot, factoryPid, name, props);
        } else if (!existing.definition().equals(wanted)) {
            update(existing, props);
        }
    }

    private void removeAllBut(ConfigSnapshot snapshot, JtgtConfiguration config) {
        List<String> targets = config.targets().stream().map(t -> ConfigSnapshot.key(t.name())).toList();
        snapshot.targets.forEach((key, t) -> {
            if (!targets.contains(key)) {
                delete(t.configuration());
                Stored<AccessRuleConfig> rule = snapshot.accessRules.get(key);
                if (rule != null) {
                    delete(rule.configuration());
                }
            }
        });
        List<Integer> portals = config.portals().stream().map(PortalDefinition::id).toList();
        snapshot.portals.forEach((id, p) -> {
            if (!portals.contains(id)) {
                delete(p.configuration());
            }
        });
        List<Long> storages = config.storages().stream().map(StorageDefinition::deviceId).toList();
        snapshot.storages.forEach((id, s) -> {
            if (!storages.contains(id)) {
                delete(s.configuration());
            }
        });
        if (config.performance().isEmpty() && snapshot.performance != null) {
            delete(snapshot.performance);
        }
    }

    // ---- Config Admin plumbing

    private ConfigSnapshot snapshot() {
        try {
            return new ConfigSnapshot(configAdmin.listConfigurations(FILTER));
        } catch (IOException e) {
            throw new UncheckedIOException("Config Admin: " + e.getMessage(), e);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Stored<StorageDefinition> requireStorage(ConfigSnapshot snapshot, long deviceId) {
        Stored<StorageDefinition> storage = snapshot.storages.get(deviceId);
        if (storage == null) {
            throw ConfigException.notFound("storage " + deviceId + ": does not exist");
        }
        return storage;
    }

    private static Stored<TargetDefinition> requireTarget(ConfigSnapshot snapshot, String name) {
        Stored<TargetDefinition> target = name == null ? null : snapshot.target(name.trim());
        if (target == null) {
            throw ConfigException.notFound("target " + name + ": does not exist");
        }
        return target;
    }

    private static TargetDefinition validTarget(Map<String, Object> props) {
        return TargetDefinition.fromProperties(props);
    }

    private static void checkPortals(ConfigSnapshot snapshot, TargetDefinition target) {
        target.portalGroups().forEach((tag, ids) -> ids.forEach(id -> {
            if (!snapshot.portals.containsKey(id)) {
                throw ConfigException.notFound("target " + target.name() + ": " + TargetDefinition.TPGT_PREFIX + tag
                        + " portal id " + id + " names no portal");
            }
        }));
    }

    /**
     * Creates the named factory configuration (its .cfg file first, when there is an etc/);
     * returns its PID. A name whose PID or file is taken gets a suffix.
     */
    private String create(ConfigSnapshot snapshot, String factoryPid, String baseName, Map<String, ?> props) {
        String base = baseName;
        java.util.Set<String> taken = new java.util.HashSet<>(snapshot.pids);
        taken.addAll(recentlyDeletedPids());
        String name = ConfigNames.free(factoryPid, base, taken);
        for (int i = 2; files != null && files.exists(factoryPid, name); i++) {
            name = ConfigNames.free(factoryPid, base + "-" + i, taken);
        }
        Map<String, Object> bookkeeping = new LinkedHashMap<>();
        try {
            if (files != null) {
                bookkeeping.put(CfgFiles.FILENAME, files.write(factoryPid, name, props));
            }
            Configuration c = configAdmin.getFactoryConfiguration(factoryPid, name, ANY_LOCATION);
            try {
                c.update(Properties.toDictionary(props, bookkeeping));
            } catch (IOException | RuntimeException e) {
                if (files != null) {
                    files.delete(bookkeeping.get(CfgFiles.FILENAME));
                }
                throw e;
            }
            snapshot.pids.add(c.getPid());
            return c.getPid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + factoryPid + "~" + name + ": " + e.getMessage(), e);
        }
    }

    private java.util.Set<String> recentlyDeletedPids() {
        long now = System.nanoTime();
        deletedPids.values().removeIf(at -> now - at > REUSE_DELAY_NANOS);
        return deletedPids.keySet();
    }

    /** Creates or updates a singleton configuration (its .cfg file first, when there is an etc/ and it is new). */
    private void putSingleton(Configuration existing, String pid, Map<String, ?> props) {
        if (existing != null) {
            updateConfiguration(existing, props);
            return;
        }
        Map<String, Object> bookkeeping = new LinkedHashMap<>();
        try {
            if (files != null) {
                bookkeeping.put(CfgFiles.FILENAME, files.write(pid, null, props));
            }
            configAdmin.getConfiguration(pid, ANY_LOCATION).update(Properties.toDictionary(props, bookkeeping));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + pid + ": " + e.getMessage(), e);
        }
    }

    private static void update(Stored<?> stored, Map<String, ?> props) {
        warnIfImported(stored.configuration(), "changed");
        updateConfiguration(stored.configuration(), props);
    }

    /**
     * Objects of a {@code bin/jtgt daemon --config FILE} instance come from FILE, which scsi-core's
     * importer applies again at every start (the file is their source of truth): a change to one
     * of them lasts until the next start. Say so, once per change.
     */
    private static void warnIfImported(Configuration c, String what) {
        Dictionary<String, Object> props = c.getProperties();
        if (props != null && "import".equals(props.get("jtgt.source"))) {
            LOG.warn("{} {}: it comes from the jtgt.config JSON file, which is imported again at each start;"
                    + " make the same change in that file", c.getPid(), what);
        }
    }

    private static void updateConfiguration(Configuration c, Map<String, ?> props) {
        try {
            c.update(Properties.toDictionary(new TreeMap<>(props), Properties.toMap(c.getProperties())));
        } catch (IOException e) {
            throw new UncheckedIOException("Config Admin refused " + c.getPid() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a configuration: its etc/ file first (file install would otherwise bring it back from
     * the file), then the configuration itself.
     */
    private void delete(Configuration c) {
        warnIfImported(c, "removed");
        try {
            if (files != null && c.getProperties() != null) {
                files.delete(c.getProperties().get(CfgFiles.FILENAME));
                deletedPids.put(c.getPid(), System.nanoTime());
            }
            c.delete();
        } catch (IllegalStateException e) {
            // File install deleted it already, after the file went: that is the wanted outcome.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + c.getPid() + ": " + e.getMessage(), e);
        }
    }
}

package io.jtgt.scsi.api;

import io.jtgt.scsi.config.JtgtConfiguration;
import io.jtgt.scsi.config.PortalDefinition;
import io.jtgt.scsi.config.StorageDefinition;
import io.jtgt.scsi.config.TargetDefinition;
import java.util.List;
import java.util.Map;

/**
 * Changes the configuration of a running jtgt. Every change is a Config Admin factory
 * configuration written (by Karaf's file install) to {@code etc/<factoryPid>-<name>.cfg}, so it
 * applies live and survives a restart; the components that read those configurations do the rest.
 * The shell, {@code bin/jtgt} and any REST API call only this and {@link ManagementService}.
 *
 * <p>Every method validates the whole resulting configuration before it writes anything: a
 * refused change throws {@link io.jtgt.scsi.config.ConfigException} (an {@link
 * IllegalArgumentException}) whose message names the object, the field and the value, and leaves
 * Config Admin as it was. References are checked: a LUN must map to an existing storage and a
 * portal group must name existing portals (a hand-written {@code .cfg} may still point nowhere;
 * the LUN then answers NOT READY, but a command refuses it). Secrets (CHAP) are written to Config
 * Admin only; nothing here returns or logs them.
 *
 * <p>An OSGi service; implementations are thread-safe and serialise changes.
 */
public interface AdminService {

    /** The {@code target} of the access rule for discovery sessions (SendTargets). */
    String DISCOVERY = "discovery";

    /**
     * Creates a storage from {@code io.jtgt.storage} properties ({@code deviceID}, {@code path},
     * {@code backendType}, {@code deviceSize}, {@code blockShift}, {@code thinProvisioning},
     * {@code online}, any other key is a backend option). Fails if the deviceID exists.
     */
    StorageDefinition createStorage(Map<String, ?> properties);

    /**
     * Removes a storage. Fails while a target maps a LUN to it, unless {@code force}: then those
     * LUNs are unmapped first (each target's LUN map changes as one update, with the effects of a
     * forced {@link #unmapLun(String, int, boolean)}) and the storage goes.
     */
    void removeStorage(long deviceId, boolean force);

    /** Takes a storage online or offline (offline: its LUNs stay and answer NOT READY). */
    StorageDefinition setStorageOnline(long deviceId, boolean online);

    /**
     * Grows a storage: sets its {@code deviceSize}; the running storage grows its store in place
     * and every session of its LUNs gets CAPACITY DATA HAS CHANGED (SBC-3, 2Ah/09h). Fails, changing
     * nothing, unless {@code newSize} is a whole number of blocks and at least the configured
     * deviceSize: shrinking is refused (the data past the new end would be lost). Check a store
     * larger than its deviceSize against {@link ManagementService#luns()} first.
     *
     * @since 2.3
     */
    default StorageDefinition resizeStorage(long deviceId, long newSize) {
        throw new io.jtgt.scsi.config.ConfigException("storage " + deviceId + ": this admin service cannot resize");
    }

    /**
     * Creates a target without LUNs. {@code portalGroups} (tag to portal ids) may be empty: the
     * target then gets portal group 1 with every configured portal, so that it is reachable at once.
     */
    TargetDefinition createTarget(String name, Map<Integer, List<Integer>> portalGroups);

    /** Removes a target and its access rule (CHAP, ACL); its sessions end. */
    void removeTarget(String name);

    /** Maps LUN {@code lun} of {@code target} to an existing storage; fails if the LUN is mapped. */
    TargetDefinition mapLun(String target, int lun, long deviceId);

    /** Unmaps one LUN, refusing while it is in use as {@link #unmapLun(String, int, boolean)} says; the storage stays. */
    TargetDefinition unmapLun(String target, int lun);

    /**
     * Unmaps one LUN; the storage stays. A LUN is in use while a session is logged in to its target
     * (any I_T nexus of the target may address it): unless {@code force}, that fails naming the
     * sessions. Forced, the LUN goes at once: its commands in flight end with CHECK CONDITION,
     * LOGICAL UNIT NOT SUPPORTED, and every session of the target gets REPORTED LUNS DATA HAS
     * CHANGED (SPC-4 3Fh/0Eh); the target's other LUNs and sessions go on. The default ignores
     * {@code force} and calls {@link #unmapLun(String, int)}.
     *
     * @since 2.4
     */
    default TargetDefinition unmapLun(String target, int lun, boolean force) {
        return unmapLun(target, lun);
    }

    /** Creates a portal ({@code host:port}, IPv6 in brackets); fails if the id exists. */
    PortalDefinition createPortal(int id, String address);

    /**
     * Removes a portal. Fails while a target portal group names it, unless {@code force}: then it
     * is taken out of those groups first.
     */
    void removePortal(int id, boolean force);

    /** Adds an existing portal to portal group {@code tag} of a target (creating the group). */
    TargetDefinition addPortalToGroup(String target, int tag, int portalId);

    /** Takes a portal out of a target portal group (the group goes when it becomes empty). */
    TargetDefinition removePortalFromGroup(String target, int tag, int portalId);

    /**
     * Allows an initiator (its iSCSI name) to log in to a target (or {@link #DISCOVERY}). A target
     * without any allowed initiator admits every initiator.
     */
    AccessView addInitiator(String target, String initiatorName);

    /** Takes an initiator off a target's list. */
    AccessView removeInitiator(String target, String initiatorName);

    /**
     * Requires CHAP on a target (or {@link #DISCOVERY}); {@code mutualUserName}/{@code mutualSecret}
     * (both or neither) let the initiator authenticate the target too.
     */
    AccessView setChap(String target, String userName, String secret, String mutualUserName, String mutualSecret);

    /** Removes CHAP from a target; its initiator list stays. */
    AccessView removeChap(String target);

    /** The access rules (CHAP and initiator lists), without secrets. */
    List<AccessView> accessRules();

    /** The configured storages, portals, targets and performance keys, as Config Admin holds them. */
    JtgtConfiguration configuration();

    /** {@link #configuration()} as gotgt JSON; {@link #importJson} of it changes nothing. */
    String exportJson();

    /**
     * Imports a gotgt JSON text: every storage, portal and target in it is created or updated (by
     * deviceID, portal id, target name). With {@code replace}, those the text does not name are
     * removed. The whole text and the resulting configuration are validated first.
     *
     * @return what was imported
     */
    JtgtConfiguration importJson(String json, boolean replace);

    /**
     * Who may log in to one target: never a secret.
     *
     * @param userName the CHAP name initiators must use, or null when CHAP is off
     * @param mutualUserName the target's own CHAP name for mutual CHAP, or null
     * @param initiators the allowed initiator names; empty = every initiator
     */
    record AccessView(String target, String userName, String mutualUserName, List<String> initiators) {
        public AccessView {
            initiators = List.copyOf(initiators);
        }

        public boolean chap() {
            return userName != null;
        }
    }
}

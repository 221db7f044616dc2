package io.jtgt.scsi.core.spc;

import static io.jtgt.scsi.core.Cdb.u32;
import static io.jtgt.scsi.core.Cdb.u64;

import io.jtgt.scsi.api.ScsiResponse;
import io.jtgt.scsi.core.CommandContext;
import io.jtgt.scsi.core.Reservations;
import io.jtgt.scsi.core.ScsiException;
import io.jtgt.scsi.core.SenseCode;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * PERSISTENT RESERVE OUT (SPC-4 6.14) with REGISTER, REGISTER AND IGNORE EXISTING KEY, RESERVE,
 * RELEASE, CLEAR and PREEMPT (SPC-4 5.9.7 - 5.9.11), with ALL_TG_PT and SPEC_I_PT (iSCSI
 * TransportIDs with ISID) on REGISTER. APTPL (SPC-4 5.9.5)
 * is honoured where the service has a state directory (PTPL_C=1), else refused. PREEMPT
 * AND ABORT is offered where the transport gives an {@link io.jtgt.scsi.api.TaskAborter}.
 * REGISTER AND MOVE takes an iSCSI TransportID with ISID.
 */
final class PersistentReserveOut {

    static final int REGISTER = 0x00;
    static final int RESERVE = 0x01;
    static final int RELEASE = 0x02;
    static final int CLEAR = 0x03;
    static final int PREEMPT = 0x04;
    static final int PREEMPT_AND_ABORT = 0x05;
    static final int REGISTER_AND_IGNORE = 0x06;
    static final int REGISTER_AND_MOVE = 0x07;
    /** Longest REGISTER AND MOVE parameter list: the header and an iSCSI TransportID of at most 228 bytes. */
    private static final int MAX_MOVE_LENGTH = 24 + 228;
    /** Longest REGISTER parameter list with SPEC_I_PT: 28 bytes and up to 16 TransportIDs of 228 bytes. */
    private static final int MAX_SPEC_I_PT_LENGTH = 28 + 16 * 228;

    private PersistentReserveOut() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        int action = cdb[1] & 0x1F;
        int scope = (cdb[2] & 0xF0) >>> 4;
        int type = cdb[2] & 0x0F;
        long length = u32(cdb, 5);
        boolean move = action == REGISTER_AND_MOVE;
        boolean registering = action == REGISTER || action == REGISTER_AND_IGNORE;
        long max = move ? MAX_MOVE_LENGTH : registering ? MAX_SPEC_I_PT_LENGTH : 24;
        if (length < 24 || length > max) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR); // SPC-4 6.14.1, 6.14.4
        }
        int listLength = (int) length;
        boolean typed = action == RESERVE || action == RELEASE || action == PREEMPT || action == PREEMPT_AND_ABORT; // SPC-4 6.14.2: MOVE keeps its type
        if (typed && scope != 0) {
            throw ScsiException.invalidCdbField(2, 7);
        }
        if (typed && !Reservations.isValidType(type)) {
            throw ScsiException.invalidCdbField(2, 3);
        }
        ctx.command().scsiTransferLength(listLength);
        if (ctx.command().expectedDataTransferLength() < listLength) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
        }
        Reservations r = ctx.device().reservations();
        String me = ctx.nexusId();
        String legacy = r.legacyHolder();
        if (legacy != null && !legacy.equals(me)) {
            return CommandContext.done(conflict());
        }
        return ctx.receiveData(listLength).thenCompose(buf -> {
            byte[] p;
            try {
                p = ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
            List<String> preempted = new java.util.ArrayList<>();
            ScsiResponse response = apply(ctx, r, me, action, type, p, preempted);
            if (response.status() != ScsiResponse.GOOD) {
                return CommandContext.done(response);
            }
            if (action == PREEMPT_AND_ABORT && !preempted.isEmpty()) {
                // SPC-4 5.9.11.5: the preempted nexuses' tasks are aborted before this completes
                return ctx.abortTasksOf(preempted).thenCompose(v -> ctx.device().reservationsChanged())
                        .thenApply(v -> response);
            }
            // SPC-4 5.9.5: with APTPL in effect the new state is durable before the command completes
            return ctx.device().reservationsChanged().thenApply(v -> response);
        });
    }

    /**
     * REGISTER AND MOVE (SPC-4 5.9.8, 6.15.4): the reservation holder registers another I_T nexus,
     * named by an iSCSI TransportID with ISID (format 01b, SPC-4 7.6.4.6) and a RELATIVE TARGET
     * PORT IDENTIFIER of this target, with the service action key, and hands it the reservation;
     * UNREG=1 also unregisters the sender. Not for all-registrants reservations.
     */
    private static ScsiResponse registerAndMove(CommandContext ctx, Reservations r, String me, long key,
            long serviceKey, int type, byte[] p) {
        boolean unreg = (p[17] & 0x02) != 0;
        boolean aptpl = (p[17] & 0x01) != 0;
        int relativePort = ((p[18] & 0xFF) << 8) | (p[19] & 0xFF);
        long tidLength = u32(p, 20);
        if (24 + tidLength != p.length) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
        }
        if (aptpl && !ctx.device().reservationsPersistable()) {
            throw ScsiException.invalidParameterField(17, 0);
        }
        String initiatorPort = IscsiTransportId.initiatorPort(p, 24);
        if (initiatorPort == null) {
            throw ScsiException.invalidParameterField(24, -1); // not an iSCSI TransportID with an ISID
        }
        int tpgt = relativePort == 1 && !ctx.targetPortGroups().contains(1) ? 0 : relativePort;
        if (!ctx.targetPortGroups().contains(tpgt)) {
            throw ScsiException.invalidParameterField(18, -1); // no such target port
        }
        String destination = initiatorPort + "|" + ctx.targetName() + ",t,0x" + String.format("%04x", tpgt);
        if (!r.registeredWith(me, key) || !r.isHolder(me) || r.type() >= Reservations.WRITE_EXCLUSIVE_ALL_REGISTRANTS) {
            return conflict(); // SPC-4 5.9.8: only the holder of a single-holder reservation moves it
        }
        if (serviceKey == 0 || destination.equals(me)) {
            throw ScsiException.invalidParameterField(serviceKey == 0 ? 8 : 24, -1);
        }
        r.registerAndMove(me, destination, serviceKey, unreg);
        r.aptpl(aptpl);
        return ScsiResponse.good();
    }

    /**
     * SPEC_I_PT (SPC-4 5.9.7.3): the I_T nexuses of the initiator ports named by iSCSI TransportIDs
     * with ISID (format 01b), on this target port or with ALL_TG_PT on all of them. Only a REGISTER
     * from an unregistered nexus with a non-zero key may use it; a named nexus already registered is
     * INVALID FIELD IN PARAMETER LIST, checked before anything changes.
     */
    private static List<String> specifiedNexuses(CommandContext ctx, Reservations r, String me, int action,
            long serviceKey, boolean allTgPt, byte[] p) {
        if (action != REGISTER || r.key(me) != null || serviceKey == 0 || p.length < 28) {
            throw ScsiException.invalidParameterField(20, 3);
        }
        long tidLength = u32(p, 24);
        if (28 + tidLength != p.length) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
        }
        List<String> result = new java.util.ArrayList<>();
        for (int off = 28; off < p.length; ) {
            String port = IscsiTransportId.initiatorPort(p, off);
            if (port == null) {
                throw ScsiException.invalidParameterField(off, -1); // only iSCSI TransportIDs with ISID
            }
            for (String n : nexusesOf(ctx, port, allTgPt, me)) {
                if (r.key(n) != null) {
                    throw new ScsiException(SenseCode.INVALID_FIELD_IN_PARAMETER_LIST); // already registered
                }
                result.add(n);
            }
            off += 4 + (((p[off + 2] & 0xFF) << 8) | (p[off + 3] & 0xFF));
        }
        return result;
    }

    private static String initiatorPort(String nexus) {
        return nexus.substring(0, nexus.indexOf('|'));
    }

    /** The I_T nexus identifiers of {@code initiatorPort} on every target port, or on the sender's. */
    private static List<String> nexusesOf(CommandContext ctx, String initiatorPort, boolean allTargetPorts, String me) {
        List<String> result = new java.util.ArrayList<>();
        if (!allTargetPorts) {
            result.add(initiatorPort + me.substring(me.indexOf('|')));
            return result;
        }
        for (int tpgt : new java.util.TreeSet<>(ctx.targetPortGroups())) {
            result.add(initiatorPort + "|" + ctx.targetName() + ",t,0x" + String.format("%04x", tpgt));
        }
        return result;
    }

    private static ScsiResponse conflict() {
        return new ScsiResponse(ScsiResponse.RESERVATION_CONFLICT, new byte[0], null);
    }

    private static ScsiResponse apply(CommandContext ctx, Reservations r, String me, int action, int type, byte[] p,
            List<String> preempted) {
        long key = u64(p, 0);
        long serviceKey = u64(p, 8);
        if (action == REGISTER_AND_MOVE) {
            return registerAndMove(ctx, r, me, key, serviceKey, type, p);
        }
        boolean specIpt = (p[20] & 0x08) != 0;
        boolean allTgPt = (p[20] & 0x04) != 0;
        boolean aptpl = (p[20] & 0x01) != 0;
        boolean registering = action == REGISTER || action == REGISTER_AND_IGNORE;
        if ((specIpt || allTgPt) && !registering) {
            throw ScsiException.invalidParameterField(20, specIpt ? 3 : 2); // only REGISTER uses them
        }
        if (p.length > 24 && !specIpt) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR); // SPC-4 6.15.1: 24 bytes without SPEC_I_PT
        }
        if (aptpl && registering && !ctx.device().reservationsPersistable()) {
            throw ScsiException.invalidParameterField(20, 0); // APTPL without PTPL_C (no state directory)
        }
        synchronized (r) {
            switch (action) {
                case REGISTER, REGISTER_AND_IGNORE -> {
                    List<String> specified = specIpt ? specifiedNexuses(ctx, r, me, action, serviceKey, allTgPt, p)
                            : List.of();
                    if (!r.register(me, key, serviceKey, action == REGISTER_AND_IGNORE)) {
                        return conflict();
                    }
                    if (allTgPt) { // SPC-4 5.9.7: the same key for this initiator port on every target port
                        for (String n : nexusesOf(ctx, initiatorPort(me), true, me)) {
                            if (!n.equals(me)) {
                                r.setRegistration(n, serviceKey);
                            }
                        }
                    }
                    specified.forEach(n -> r.setRegistration(n, serviceKey));
                    r.aptpl(aptpl); // SPC-4 5.9.5: the last REGISTER decides persistence through power loss
                    return ScsiResponse.good();
                }
                case RESERVE -> {
                    if (!r.registeredWith(me, key)) {
                        return conflict();
                    }
                    return r.reserve(me, type) ? ScsiResponse.good() : conflict();
                }
                case RELEASE -> {
                    if (!r.registeredWith(me, key)) {
                        return conflict();
                    }
                    int heldType = r.type();
                    switch (r.release(me, type)) {
                        case INVALID_TYPE -> throw new ScsiException(SenseCode.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
                        case RELEASED -> {
                            // SPC-4 5.9.11.2: releasing a registrants-only / all-registrants reservation tells the others
                            if (heldType >= Reservations.WRITE_EXCLUSIVE_REGISTRANTS_ONLY) {
                                ctx.unitAttentionFor(r.otherRegistrants(me), SenseCode.RESERVATIONS_RELEASED);
                            }
                        }
                        default -> { }
                    }
                    return ScsiResponse.good();
                }
                case CLEAR -> {
                    if (!r.registeredWith(me, key)) {
                        return conflict();
                    }
                    List<String> others = r.clear(me);
                    ctx.unitAttentionFor(others, SenseCode.RESERVATIONS_PREEMPTED);
                    return ScsiResponse.good();
                }
                case PREEMPT, PREEMPT_AND_ABORT -> {
                    if (!r.registeredWith(me, key)) {
                        return conflict();
                    }
                    if (serviceKey == 0 && !(r.reserved() && r.holderKey() == 0 && r.type() >= 7)) {
                        throw ScsiException.invalidParameterField(8, -1); // SPC-4 5.9.11.4: key 0 only for all-registrants
                    }
                    List<String> removed = r.preempt(me, serviceKey, type);
                    if (removed == null) {
                        return conflict();
                    }
                    ctx.unitAttentionFor(removed, SenseCode.REGISTRATIONS_PREEMPTED);
                    preempted.addAll(removed);
                    return ScsiResponse.good();
                }
                default -> throw ScsiException.invalidCdbField(1, 4);
            }
        }
    }
}

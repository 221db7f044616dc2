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
 * RELEASE, CLEAR and PREEMPT (SPC-4 5.9.7 - 5.9.11). The 24-byte parameter list only: SPEC_I_PT
 * and ALL_TG_PT are not supported (REPORT CAPABILITIES says so) and refused. APTPL (SPC-4 5.9.5)
 * is honoured where the service has a state directory (PTPL_C=1), else refused. PREEMPT AND
 * ABORT and REGISTER AND MOVE are not offered.
 */
final class PersistentReserveOut {

    static final int REGISTER = 0x00;
    static final int RESERVE = 0x01;
    static final int RELEASE = 0x02;
    static final int CLEAR = 0x03;
    static final int PREEMPT = 0x04;
    static final int REGISTER_AND_IGNORE = 0x06;

    private PersistentReserveOut() {}

    static CompletionStage<ScsiResponse> execute(CommandContext ctx) {
        byte[] cdb = ctx.cdb();
        int action = cdb[1] & 0x1F;
        int scope = (cdb[2] & 0xF0) >>> 4;
        int type = cdb[2] & 0x0F;
        long length = u32(cdb, 5);
        if (length != 24) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR); // SPC-4 6.14.1
        }
        boolean typed = action == RESERVE || action == RELEASE || action == PREEMPT;
        if (typed && scope != 0) {
            throw ScsiException.invalidCdbField(2, 7);
        }
        if (typed && !Reservations.isValidType(type)) {
            throw ScsiException.invalidCdbField(2, 3);
        }
        ctx.command().scsiTransferLength(24);
        if (ctx.command().expectedDataTransferLength() < 24) {
            throw new ScsiException(SenseCode.PARAMETER_LIST_LENGTH_ERROR);
        }
        Reservations r = ctx.device().reservations();
        String me = ctx.nexusId();
        String legacy = r.legacyHolder();
        if (legacy != null && !legacy.equals(me)) {
            return CommandContext.done(conflict());
        }
        return ctx.receiveData(24).thenCompose(buf -> {
            byte[] p;
            try {
                p = ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
            ScsiResponse response = apply(ctx, r, me, action, type, p);
            if (response.status() != ScsiResponse.GOOD) {
                return CommandContext.done(response);
            }
            // SPC-4 5.9.5: with APTPL in effect the new state is durable before the command completes
            return ctx.device().reservationsChanged().thenApply(v -> response);
        });
    }

    private static ScsiResponse conflict() {
        return new ScsiResponse(ScsiResponse.RESERVATION_CONFLICT, new byte[0], null);
    }

    private static ScsiResponse apply(CommandContext ctx, Reservations r, String me, int action, int type, byte[] p) {
        long key = u64(p, 0);
        long serviceKey = u64(p, 8);
        if ((p[20] & 0x0C) != 0) {
            throw ScsiException.invalidParameterField(20, (p[20] & 0x08) != 0 ? 3 : 2); // SPEC_I_PT, ALL_TG_PT
        }
        boolean aptpl = (p[20] & 0x01) != 0;
        boolean registering = action == REGISTER || action == REGISTER_AND_IGNORE;
        if (aptpl && registering && !ctx.device().reservationsPersistable()) {
            throw ScsiException.invalidParameterField(20, 0); // APTPL without PTPL_C (no state directory)
        }
        synchronized (r) {
            switch (action) {
                case REGISTER, REGISTER_AND_IGNORE -> {
                    if (!r.register(me, key, serviceKey, action == REGISTER_AND_IGNORE)) {
                        return conflict();
                    }
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
                case PREEMPT -> {
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
                    return ScsiResponse.good();
                }
                default -> throw ScsiException.invalidCdbField(1, 4);
            }
        }
    }
}

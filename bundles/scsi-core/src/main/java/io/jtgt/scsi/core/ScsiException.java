package io.jtgt.scsi.core;

/**
 * A command ends in CHECK CONDITION with this sense data. Thrown by CDB parsing and handlers,
 * turned into a {@link io.jtgt.scsi.api.ScsiResponse} by the dispatcher; never escapes scsi-core.
 */
public final class ScsiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient SenseData sense;

    public ScsiException(SenseData sense) {
        super(sense.code().toString(), null, false, false);
        this.sense = sense;
    }

    public ScsiException(SenseCode code) {
        this(SenseData.of(code));
    }

    public SenseData sense() {
        return sense;
    }

    /** INVALID FIELD IN CDB pointing at {@code byteIndex} (and {@code bit}, or -1). */
    public static ScsiException invalidCdbField(int byteIndex, int bit) {
        return new ScsiException(SenseData.of(SenseCode.INVALID_FIELD_IN_CDB).fieldPointer(true, byteIndex, bit));
    }

    /** INVALID FIELD IN PARAMETER LIST pointing at {@code byteIndex} (and {@code bit}, or -1). */
    public static ScsiException invalidParameterField(int byteIndex, int bit) {
        return new ScsiException(SenseData.of(SenseCode.INVALID_FIELD_IN_PARAMETER_LIST)
                .fieldPointer(false, byteIndex, bit));
    }
}

package io.jtgt.iscsi.login;

/** How a key's result is computed from the two offers (RFC 7143 5.2, 6.2). */
public enum KeyType {
    /** Each side states its own value; nothing is computed (e.g. MaxRecvDataSegmentLength). */
    DECLARATIVE,
    /** Result is Yes only if both say Yes (e.g. ImmediateData). */
    BOOLEAN_AND,
    /** Result is Yes if either says Yes (e.g. InitialR2T). */
    BOOLEAN_OR,
    /** Result is the smaller number (e.g. MaxBurstLength). */
    NUMERIC_MIN,
    /** Result is the larger number (DefaultTime2Wait). */
    NUMERIC_MAX,
    /** The responder picks the first value of the offered list it supports (e.g. HeaderDigest). */
    LIST
}

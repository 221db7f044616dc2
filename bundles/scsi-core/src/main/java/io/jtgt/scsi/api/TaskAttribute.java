package io.jtgt.scsi.api;

/** SAM-5 8.6 task attributes. */
public enum TaskAttribute {
    SIMPLE,
    ORDERED,
    HEAD_OF_QUEUE,
    ACA
}

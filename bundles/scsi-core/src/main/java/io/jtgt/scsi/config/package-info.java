/**
 * The configuration model: storages, portals and targets as Config Admin factory configurations
 * and as the gotgt JSON file describes them. Every definition validates itself and fails with a
 * {@link io.jtgt.scsi.config.ConfigException} naming the field and the offending value.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.jtgt.scsi.config;

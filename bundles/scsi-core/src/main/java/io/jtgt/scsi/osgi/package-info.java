/**
 * Declarative Services adapters: the target service component, one component per storage and
 * target factory configuration, and the gotgt JSON importer. No logic of their own.
 */
package io.jtgt.scsi.osgi;

/**
 * {@link io.jtgt.scsi.api.AdminService} on Config Admin: every change is a factory configuration
 * that Karaf's file install keeps in etc/. Not exported: other bundles use the service.
 */
package io.jtgt.admin;

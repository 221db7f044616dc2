/**
 * The REST API in plain Java: {@link io.jtgt.rest.RestApi} routes a request (method, path, query,
 * JSON body) to one resource class per area (targets, LUNs, portals, storages, ACLs, sessions,
 * stats, the gotgt JSON), each of which parses its arguments and calls {@link
 * io.jtgt.scsi.api.AdminService} or {@link io.jtgt.scsi.api.ManagementService}, like the shell.
 * {@link io.jtgt.rest.AccessGuard} decides who may call it (HTTP Basic against a JAAS realm).
 * Nothing here knows of servlets: {@code io.jtgt.rest.osgi} adapts it to the HTTP Whiteboard.
 */
package io.jtgt.rest;

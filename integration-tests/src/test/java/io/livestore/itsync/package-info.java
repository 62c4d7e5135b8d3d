/**
 * The sync endpoint suite's stand-ins, deployed only in {@code SyncEndpointIT}'s WAR: an engine that answers
 * Ping with Pong, and the HTTP transport enabled by subclassing. Outside {@code io.livestore.it} because a
 * stand-in engine implements the library's internal seam ({@code SyncSessions}), which the suite proper,
 * written as an application is, never uses.
 */
package io.livestore.itsync;

/**
 * The todo application of {@code LiveStoreClientIT}, deployed only in that test's WAR: the Java mirror of the
 * real LiveStore client's schema (sync-client/src/schema.mjs), its definition opened to JavaScript clients, an
 * access policy that checks the clients' token, and a resource that reads, writes and streams the store as an
 * application would, with the library's public API only.
 */
package io.livestore.it.todo;

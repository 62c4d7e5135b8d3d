/**
 * LiveStore JavaScript clients of the tracker's issue stores (examples/issue-tracker-client): which of
 * them may sync which store, through the library's WebSocket sync endpoint.
 */
package io.livestore.example.issuetracker.clients;

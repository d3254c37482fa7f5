/**
 * Storage of the ledger's 32-byte leaf hashes: {@link fr.spie.gateway.ledger.store.LeafHashStore}
 * with an in-memory and an append-only file implementation.
 */
package fr.spie.gateway.ledger.store;

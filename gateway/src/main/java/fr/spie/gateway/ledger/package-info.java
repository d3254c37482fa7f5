/**
 * Tamper-evident audit ledger: an append-only Merkle tree log in the style of
 * RFC 9162 (Certificate Transparency v2), signed tree heads, canonical JSON entries
 * and an offline verifier.
 *
 * <p>This package is framework-free on purpose (plain JDK + Bouncy Castle) so that the
 * offline verifier used by auditors shares the exact code of the gateway.
 */
package fr.spie.gateway.ledger;

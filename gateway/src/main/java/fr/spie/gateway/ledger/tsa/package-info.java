/**
 * RFC 3161 timestamps of signed tree heads (issue 5, point 2): a client for a timestamping authority, the
 * verification of tokens (gateway and offline verifier), their storage in {@code tree_head_timestamp} and the
 * background {@link fr.spie.gateway.ledger.tsa.HeadTimestamper}. Framework-free.
 */
package fr.spie.gateway.ledger.tsa;

package fr.spie.gateway.ledger.tsa;

import fr.spie.gateway.ledger.TreeHead;

/** Something that timestamps tree heads: {@link TimestampClient}, or a stand-in in tests. */
@FunctionalInterface
public interface Tsa {
    /** A verified token over {@code head}'s canonical bytes. */
    TimestampToken timestamp(TreeHead head) throws TimestampException;
}

package fr.spie.gateway.ledger.store;

/** Volatile {@link LeafHashStore} for tests and the offline verifier. */
public final class InMemoryLeafHashStore implements LeafHashStore {

    private final HashArray hashes = new HashArray();

    @Override
    public long append(byte[] leafHash) {
        checkHash(leafHash);
        hashes.append(leafHash, 0);
        return hashes.size() - 1;
    }

    @Override
    public long size() {
        return hashes.size();
    }

    @Override
    public void read(long from, int count, byte[] dst, int dstOffset) {
        hashes.read(from, count, dst, dstOffset);
    }

    @Override
    public void sync() {
        // nothing to make durable
    }

    @Override
    public void close() {
        // nothing to release
    }

    static void checkHash(byte[] leafHash) {
        if (leafHash == null || leafHash.length != HASH_SIZE) {
            throw new IllegalArgumentException("leaf hash must be 32 bytes");
        }
    }
}

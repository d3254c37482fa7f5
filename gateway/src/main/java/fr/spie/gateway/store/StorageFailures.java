package fr.spie.gateway.store;

import java.util.List;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The failures that say the database cannot be used right now (down, restarting, its file system full, the embedded
 * database closed on an I/O error), as opposed to a statement that is wrong: the work is to be done again later, as
 * it is, not given up.
 */
public final class StorageFailures {

    /** No connection, no transaction, a commit that failed, or a failure the database says is temporary. */
    public static final List<Class<? extends Throwable>> TYPES = List.of(DataAccessResourceFailureException.class,
            TransientDataAccessException.class, CannotCreateTransactionException.class,
            TransactionSystemException.class);

    private StorageFailures() {
    }
}

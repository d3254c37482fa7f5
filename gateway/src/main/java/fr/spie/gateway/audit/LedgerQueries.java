package fr.spie.gateway.audit;

import fr.spie.gateway.ledger.db.AuditRow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Ledger-side reads of the audit trail: ledger positions of events, and filtered rows in ledger order for exports. */
@Component
public class LedgerQueries {
    private final JdbcTemplate jdbc;

    public LedgerQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Ledger index per seq, for the given seqs that have one. */
    public Map<Long, Long> ledgerIndexes(List<Long> seqs) {
        if (seqs.isEmpty()) {
            return Map.of();
        }
        Map<Long, Long> out = new HashMap<>();
        String in = String.join(",", Collections.nCopies(seqs.size(), "?"));
        jdbc.query("SELECT seq, ledger_index FROM ledger_entry WHERE seq IN (" + in + ")",
                rs -> {
                    out.put(rs.getLong(1), rs.getLong(2));
                }, seqs.toArray());
        return out;
    }

    /** Streams the rows matching {@code filter} with a ledger index below {@code treeSize}, in ledger order. */
    public void forEachInLedger(AuditQueries.AuditFilter filter, long treeSize, Consumer<AuditRow> consumer) {
        // the filter's conditions name audit_event columns unqualified: none of them is also a ledger_entry column
        StringBuilder sql = new StringBuilder("SELECT " + AuditRow.COLUMNS + " FROM " + AuditRow.IN_LEDGER
                + " WHERE e.ledger_index < ?");
        List<Object> args = new ArrayList<>();
        args.add(treeSize);
        filter.appendConditions(sql, args);
        sql.append(" ORDER BY e.ledger_index");
        jdbc.query(sql.toString(), rs -> {
            consumer.accept(AuditRow.read(rs));
        }, args.toArray());
    }
}

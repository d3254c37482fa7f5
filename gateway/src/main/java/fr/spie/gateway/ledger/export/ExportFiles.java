package fr.spie.gateway.ledger.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Finds the files of a full export in its directory, and unpacks (then deletes) the zip it may come as. */
final class ExportFiles {
    private ExportFiles() {
    }

    /** {@code ledger.jsonl}, else the first {@code .jsonl} or {@code .csv} file by name. */
    static Path ledgerFile(Path dir) throws IOException {
        return ledgerFile(dir, dir.toString());
    }

    /** As {@link #ledgerFile(Path)}, the directory named {@code shownAs} when there is none (a zip's temporary one). */
    static Path ledgerFile(Path dir, String shownAs) throws IOException {
        Path file = dir.resolve("ledger.jsonl");
        if (!Files.exists(file)) {
            try (Stream<Path> files = Files.list(dir)) {
                file = files.filter(p -> p.toString().endsWith(".jsonl") || p.toString().endsWith(".csv"))
                        .sorted().findFirst()
                        .orElseThrow(() -> new IOException("no ledger.jsonl (or .jsonl/.csv file) in " + shownAs));
            }
        }
        return file;
    }

    /**
     * {@link #unzip} for a zip the operator gave: a zip cut short (a download that stopped) or not a zip at all is said
     * to be so, rather than in the JDK's words ("Unexpected end of ZLIB input stream") or as a missing ledger.jsonl
     * in a temporary directory.
     */
    static void unzipExport(Path zip, Path dir) throws IOException {
        try {
            unzip(zip, dir);
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            throw new IOException("not a complete zip (cut short or damaged: download it again): " + e.getMessage(), e);
        }
        try (Stream<Path> files = Files.list(dir)) {
            if (files.findAny().isEmpty()) {
                throw new IOException("not a zip, or an empty one: a full export zip (GET /api/v1/audit/export/full) "
                        + "holds " + FullExport.LEDGER_FILE + ", " + FullExport.LEAVES_FILE + " and "
                        + FullExport.KEY_FILE + "; a selection is verified as the .jsonl or .csv file itself");
            }
        }
    }

    /** {@code leaves.bin}, or null when the directory has none. */
    static Path leafFile(Path dir) {
        Path leaves = dir.resolve("leaves.bin");
        return Files.exists(leaves) ? leaves : null;
    }

    /**
     * Extracts the zip's files into {@code dir}, skipping directories and names that would land outside it.
     *
     * @throws IOException naming the entry, for a file in a folder of the zip (a full export's files are at its top
     *                     level) or a file that comes twice
     */
    static void unzip(Path zip, Path dir) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir) || e.isDirectory()) {
                    continue;
                }
                if (!dir.equals(target.getParent())) {
                    throw new IOException("zip entry '" + e.getName() + "' is not a file at the top level of the zip "
                            + "(a full export zip holds " + FullExport.LEDGER_FILE + ", " + FullExport.LEAVES_FILE
                            + " and " + FullExport.KEY_FILE + ", in no folder)");
                }
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("zip entry '" + e.getName() + "': the zip holds this file twice");
                }
                Files.copy(in, target);
            }
        }
    }

    /** Deletes {@code dir} and everything in it. */
    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

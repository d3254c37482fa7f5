package fr.spie.gateway;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * An I/O failure in an operator's words: which file and what happened to it. The JDK's file-system exceptions carry
 * only the path as their message ("nokey.pem"), which says nothing once printed after "cannot read ...".
 */
public final class IoErrorText {
    private IoErrorText() {
    }

    /** "path: reason" when the failure names a file, else the reason alone. */
    public static String of(IOException e) {
        String file = e instanceof FileSystemException fs ? fs.getFile() : null;
        return file == null ? reason(e) : file + ": " + reason(e);
    }

    /** What happened, without the path: for messages that name the file already. */
    public static String reason(IOException e) {
        String reason = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            reason = "no such file or directory";
        } else if (e instanceof FileAlreadyExistsException) {
            reason = "exists and is not a directory";
        } else if (e instanceof CharacterCodingException) {
            // the JDK says only "Input length = 1"
            reason = "not UTF-8 text (bytes that do not decode): is it the right file?";
        }
        return reason == null || reason.isBlank() ? e.getClass().getSimpleName() : reason;
    }
}

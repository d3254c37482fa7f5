package fr.spie.gateway.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * What the filters that refuse a body before any endpoint reads it ({@link ContentEncodingFilter},
 * {@link JsonCharsetFilter}) share: who is refused, and how the refused value may be shown back.
 */
final class FilterRefusals {

    private FilterRefusals() {
    }

    /** The authenticated caller's id, or {@code anonymous}. */
    static String actor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof GatewayPrincipal p ? p.id() : "anonymous";
    }

    /** The value with every character {@code notShown} matches replaced by '?', cut at 32 characters. */
    static String printable(String value, String notShown) {
        String printable = value.replaceAll(notShown, "?");
        return printable.length() > 32 ? printable.substring(0, 32) + "…" : printable;
    }
}

package fr.spie.gateway.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a partner by the TLS client certificate of the connection. The TLS connector has verified it
 * (chain to a trusted CA, validity dates, CRL) during the handshake; this maps it to the partner whose
 * {@code auth.certificate} it matches. A verified certificate that is no partner's is refused (401), whatever other
 * credential the request carries.
 *
 * <p>The handshake checked the dates when the session was made, but a TLS session is resumed on new connections
 * (for up to the connector's session timeout) and a keep-alive connection carries many requests, without another
 * check: the dates are checked again for each request, and a certificate past them is refused (401).
 */
public class ClientCertificateFilter extends OncePerRequestFilter {
    /** The request attribute of the Servlet specification holding the client's certificate chain. */
    public static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final CredentialDirectory credentials;
    private final AuthenticationEntryPoint refusal;

    public ClientCertificateFilter(CredentialDirectory credentials, AuthenticationEntryPoint refusal) {
        this.credentials = credentials;
        this.refusal = refusal;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(CERTIFICATES_ATTRIBUTE) instanceof X509Certificate[] certificates
                && certificates.length > 0) {
            try {
                requireCurrent(certificates[0]);
                GatewayPrincipal principal = credentials.byCertificate(certificates[0]);
                SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                        principal, null, List.of(new SimpleGrantedAuthority("ROLE_" + principal.role().name()))));
            } catch (CredentialRefusedException e) {
                refusal.commence(request, response, e);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static void requireCurrent(X509Certificate certificate) {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new CredentialRefusedException("the TLS client certificate (subject '"
                    + certificate.getSubjectX500Principal().getName() + "') is valid from "
                    + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant()
                    + (e instanceof CertificateExpiredException ? ": it has expired" : ": it is not valid yet")
                    + " (a TLS session made while it was valid does not extend it)");
        }
    }
}

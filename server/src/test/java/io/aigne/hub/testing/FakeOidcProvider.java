package io.aigne.hub.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An OpenID Connect provider on a random loopback port, as far as a relying party sees one: discovery document, JWKS
 * with an RSA key, {@code /authorize} that at once redirects back with a code for the account set with
 * {@link #signInAs} (recording the PKCE challenge), and {@code /token} that checks client authentication and the
 * code verifier against the challenge (S256) before returning an RS256-signed ID token. Tests can make the next
 * token lie about its audience or nonce, or the next authorization be refused.
 */
public final class FakeOidcProvider implements AutoCloseable {
    public static final String CLIENT_ID = "aigne-hub-test";
    public static final String CLIENT_SECRET = "fake-oidc-client-secret";

    private final HttpServer server;
    private final RSAKey key;
    private final String authMethod;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final List<String> tokenErrors = new CopyOnWriteArrayList<>();
    private final AtomicReference<Account> account = new AtomicReference<>(new Account("sub-1", Map.of()));
    private volatile String nextAudience;
    private volatile String nextNonce;
    private volatile String nextRefusal;

    /** Who signs in at {@code /authorize}: the subject and the claims put in the ID token. */
    public record Account(String subject, Map<String, Object> claims) {
    }

    private record Grant(String redirectUri, String challenge, String nonce, Account account) {
    }

    /** @param authMethod {@code client_secret_basic} or {@code client_secret_post}: the one the provider accepts */
    public FakeOidcProvider(String authMethod) {
        this.authMethod = authMethod;
        try {
            this.key = new RSAKeyGenerator(2048).keyID("fake-key-1").generate();
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/jwks", ex -> send(ex, 200, new JWKSet(key.toPublicJWK()).toString()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    public FakeOidcProvider() {
        this("client_secret_basic");
    }

    /**
     * A hub that signs people in through this provider, shown on its sign-in page as "Sign in with Example ID"; add
     * settings to it, then start it.
     */
    public TestHub.Builder hubBuilder() {
        return TestHub.builder()
                .setting("AIGNE_HUB_AUTH_OIDC_ENABLED", "true")
                .setting("AIGNE_HUB_AUTH_OIDC_ISSUER", issuer())
                .setting("AIGNE_HUB_AUTH_OIDC_CLIENT_ID", CLIENT_ID)
                .setting("AIGNE_HUB_AUTH_OIDC_CLIENT_SECRET", CLIENT_SECRET)
                .setting("AIGNE_HUB_AUTH_OIDC_DISPLAY_NAME", "Example ID");
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void signInAs(String subject, Map<String, Object> claims) {
        account.set(new Account(subject, claims));
    }

    /** The next ID token names this audience instead of the client. */
    public void nextAudience(String audience) {
        nextAudience = audience;
    }

    /** The next ID token carries this nonce instead of the one asked for. */
    public void nextNonce(String nonce) {
        nextNonce = nonce;
    }

    /** The next authorization is refused with this OAuth error code (e.g. access_denied). */
    public void refuseNext(String error) {
        nextRefusal = error;
    }

    /** Why the token endpoint refused requests so far. */
    public List<String> tokenErrors() {
        return List.copyOf(tokenErrors);
    }

    private void discovery(HttpExchange ex) throws IOException {
        String issuer = issuer();
        send(ex, 200, """
                {"issuer":"%s","authorization_endpoint":"%s/authorize","token_endpoint":"%s/token",
                 "jwks_uri":"%s/jwks","response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["RS256"],"code_challenge_methods_supported":["S256"],
                 "token_endpoint_auth_methods_supported":["%s"],"scopes_supported":["openid","profile","email"]}
                """.formatted(issuer, issuer, issuer, issuer, authMethod));
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        String redirect = q.get("redirect_uri");
        String state = q.get("state");
        String refusal = nextRefusal;
        nextRefusal = null;
        if (refusal != null) {
            redirect(ex, redirect + "?error=" + refusal + "&error_description="
                    + URLEncoder.encode("the user declined", StandardCharsets.UTF_8) + "&state=" + encode(state));
            return;
        }
        if (!CLIENT_ID.equals(q.get("client_id")) || !"code".equals(q.get("response_type"))
                || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null
                || q.get("nonce") == null || !q.getOrDefault("scope", "").contains("openid")) {
            send(ex, 400, "{\"error\":\"invalid_request\",\"query\":\"" + ex.getRequestURI().getRawQuery() + "\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(redirect, q.get("code_challenge"), q.get("nonce"), account.get()));
        redirect(ex, redirect + "?code=" + code + "&state=" + encode(state));
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String clientId;
        String secret;
        String basic = ex.getRequestHeaders().getFirst("Authorization");
        if ("client_secret_basic".equals(authMethod) && basic != null && basic.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8)
                    .split(":", 2);
            clientId = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            secret = pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
        } else if ("client_secret_post".equals(authMethod)) {
            clientId = f.get("client_id");
            secret = f.get("client_secret");
        } else {
            clientId = null;
            secret = null;
        }
        if (!CLIENT_ID.equals(clientId) || !CLIENT_SECRET.equals(secret)) {
            refuse(ex, 401, "invalid_client", "client authentication failed (" + authMethod + ")");
            return;
        }
        Grant grant = codes.remove(f.getOrDefault("code", ""));
        if (!"authorization_code".equals(f.get("grant_type")) || grant == null) {
            refuse(ex, 400, "invalid_grant", "unknown or used code");
            return;
        }
        if (!grant.redirectUri().equals(f.get("redirect_uri"))) {
            refuse(ex, 400, "invalid_grant", "redirect_uri differs from the authorization request");
            return;
        }
        String verifier = f.get("code_verifier");
        if (verifier == null || !s256(verifier).equals(grant.challenge())) {
            refuse(ex, 400, "invalid_grant", "PKCE verification failed");
            return;
        }
        String audience = nextAudience;
        String nonce = nextNonce;
        nextAudience = null;
        nextNonce = null;
        long now = System.currentTimeMillis();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer()).subject(grant.account().subject())
                .audience(audience == null ? CLIENT_ID : audience)
                .issueTime(new Date(now)).expirationTime(new Date(now + 300_000))
                .claim("nonce", nonce == null ? grant.nonce() : nonce);
        grant.account().claims().forEach(claims::claim);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims.build());
            jwt.sign(new RSASSASigner(key));
            send(ex, 200, "{\"access_token\":\"at-" + UUID.randomUUID() + "\",\"token_type\":\"Bearer\","
                    + "\"expires_in\":300,\"id_token\":\"" + jwt.serialize() + "\"}");
        } catch (JOSEException e) {
            send(ex, 500, "{\"error\":\"server_error\"}");
        }
    }

    private void refuse(HttpExchange ex, int status, String error, String description) throws IOException {
        tokenErrors.add(error + ": " + description);
        send(ex, status, "{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String encode(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.aigne.hub.web.session.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.aigne.hub.config.HubConfig.OidcConfig;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The hub as an OpenID Connect client (relying party) of one provider: the provider's metadata from discovery
 * (cached for {@link #METADATA_TTL}, read again sooner after a failure), the authorization request (code flow with
 * PKCE S256, {@code state} and {@code nonce}), the code exchange (client_secret_basic, or client_secret_post when
 * that is all the provider accepts) and the ID token's validation: signature against the provider's JWKS (fetched
 * and cached by the JOSE library), issuer, audience, expiry and nonce.
 */
public final class OidcClient {
    static final Duration METADATA_TTL = Duration.ofHours(1);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final int JWKS_SIZE_LIMIT = 512 * 1024;

    private final OidcConfig config;
    private final Issuer issuer;
    private final ClientID clientId;
    private final Secret clientSecret;
    private final Clock clock;
    private Provider provider;

    /** What discovery said, and the validator built from it. */
    private record Provider(OIDCProviderMetadata metadata, IDTokenValidator validator, long loadedAt) {
    }

    /** Why a sign-in failed, in words for the user (never containing secrets). */
    public static final class SignInFailed extends Exception {
        public SignInFailed(String message) {
            super(message, null, false, false);
        }
    }

    public OidcClient(OidcConfig config, Clock clock) {
        if (config.issuer() == null || config.issuer().isBlank() || config.clientId() == null
                || config.clientId().isBlank()) {
            throw new IllegalArgumentException("auth.oidc.enabled needs auth.oidc.issuer and auth.oidc.clientId");
        }
        this.config = config;
        this.issuer = new Issuer(config.issuer().strip());
        this.clientId = new ClientID(config.clientId().strip());
        this.clientSecret = config.clientSecret() == null || config.clientSecret().isEmpty() ? null
                : new Secret(config.clientSecret());
        this.clock = clock;
    }

    public String displayName() {
        return config.displayName() == null || config.displayName().isBlank() ? "OpenID Connect"
                : config.displayName();
    }

    public String issuer() {
        return issuer.getValue();
    }

    /** The URL of the provider's sign-in page for this attempt. */
    public URI authorizationUrl(URI redirectUri, PendingSignIn pending) throws SignInFailed {
        Scope scope = Scope.parse(config.scopes());
        if (!scope.contains("openid")) {
            scope.add("openid");
        }
        return new AuthenticationRequest.Builder(ResponseType.CODE, scope, clientId, redirectUri)
                .endpointURI(provider().metadata().getAuthorizationEndpointURI())
                .state(new State(pending.state()))
                .nonce(new Nonce(pending.nonce()))
                .codeChallenge(new CodeVerifier(pending.codeVerifier()), CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    /** Exchanges the code and returns the validated ID token's claims. */
    public IDTokenClaimsSet exchange(String code, URI redirectUri, PendingSignIn pending) throws SignInFailed {
        Provider p = provider();
        TokenRequest request = new TokenRequest(p.metadata().getTokenEndpointURI(), clientAuthentication(p.metadata()),
                new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri,
                        new CodeVerifier(pending.codeVerifier())));
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        http.setReadTimeout(READ_TIMEOUT_MILLIS);
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException e) {
            throw new SignInFailed("The sign-in provider could not be reached to finish the sign-in ("
                    + e.getMessage() + "). Please try again.");
        } catch (ParseException e) {
            throw new SignInFailed("The sign-in provider's answer could not be understood: " + e.getMessage());
        }
        if (!response.indicatesSuccess()) {
            TokenErrorResponse error = response.toErrorResponse();
            var object = error.getErrorObject();
            throw new SignInFailed("The sign-in provider refused to finish the sign-in: "
                    + (object == null ? "no reason given" : object.getCode()
                    + (object.getDescription() == null ? "" : " (" + object.getDescription() + ")")) + ".");
        }
        JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw new SignInFailed("The sign-in provider sent no ID token.");
        }
        try {
            return p.validator().validate(idToken, new Nonce(pending.nonce()));
        } catch (BadJOSEException e) {
            throw new SignInFailed("The sign-in provider's ID token was not accepted: " + e.getMessage() + ".");
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new SignInFailed("The sign-in provider's ID token could not be checked: " + e.getMessage() + ".");
        }
    }

    private ClientAuthentication clientAuthentication(OIDCProviderMetadata metadata) throws SignInFailed {
        if (clientSecret == null) {
            throw new SignInFailed("The hub has no client secret for this sign-in provider (auth.oidc.clientSecret).");
        }
        List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
        // Absent from the metadata means client_secret_basic (OpenID Connect Discovery 1.0, section 3).
        if (methods == null || methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)) {
            return new ClientSecretBasic(clientId, clientSecret);
        }
        if (methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
            return new ClientSecretPost(clientId, clientSecret);
        }
        throw new SignInFailed("The sign-in provider accepts neither client_secret_basic nor client_secret_post "
                + "at its token endpoint (it offers " + methods + ").");
    }

    /** The provider's metadata, read at most once per {@link #METADATA_TTL} while it works. */
    private synchronized Provider provider() throws SignInFailed {
        long now = clock.millis();
        if (provider != null && now - provider.loadedAt() < METADATA_TTL.toMillis()) {
            return provider;
        }
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.resolve(issuer, CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS);
        } catch (GeneralException | IOException e) {
            if (provider != null) {
                return provider; // keep using what worked rather than lock everyone out during a blip
            }
            throw new SignInFailed("The sign-in provider " + issuer + " could not be reached: " + e.getMessage());
        }
        Set<JWSAlgorithm> algorithms = new HashSet<>(metadata.getIDTokenJWSAlgs() == null
                ? List.of(JWSAlgorithm.RS256) : metadata.getIDTokenJWSAlgs());
        algorithms.removeIf(a -> !JWSAlgorithm.Family.SIGNATURE.contains(a)); // never "none" nor HMAC
        if (algorithms.isEmpty() || metadata.getJWKSetURI() == null) {
            throw new SignInFailed("The sign-in provider signs ID tokens with no algorithm the hub accepts, or "
                    + "publishes no JWKS.");
        }
        try {
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(metadata.getJWKSetURI().toURL(),
                    new DefaultResourceRetriever(CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT))
                    .build();
            IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), clientId,
                    new JWSVerificationKeySelector<>(algorithms, keys), null);
            provider = new Provider(metadata, validator, now);
            return provider;
        } catch (java.net.MalformedURLException e) {
            throw new SignInFailed("The sign-in provider's JWKS address is not a URL: " + metadata.getJWKSetURI());
        }
    }
}

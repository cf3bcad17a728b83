package io.aigne.hub.provider.bedrock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The signer against AWS's published SigV4 test suite (the {@code aws-sig-v4-test-suite} cases as the AWS CRT's
 * aws-c-auth ships them: service {@code service}, region us-east-1, 2015-08-30T12:36:00Z) and against the AWS SDK's
 * own signer for a Bedrock request.
 */
class SigV4SignerTest {
    private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
    private static final SigV4Signer.Credentials SUITE_KEY =
            new SigV4Signer.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static final String HOST = "example.amazonaws.com";
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static SigV4Signer.Request get(String rawPath) {
        return new SigV4Signer.Request("GET", HOST, rawPath, null, Map.of(), new byte[0]);
    }

    private static String signature(Map<String, String> headers) {
        String authorization = headers.get("Authorization");
        return authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
    }

    @Test
    void getVanilla() {
        SigV4Signer signer = new SigV4Signer("service", false);

        assertThat(signer.canonicalRequest(get("/"), SUITE_KEY, SUITE_TIME)).isEqualTo("""
                GET
                /

                host:example.amazonaws.com
                x-amz-date:20150830T123600Z

                host;x-amz-date
                """ + EMPTY_SHA256);
        Map<String, String> headers = signer.sign(get("/"), SUITE_KEY, "us-east-1", SUITE_TIME);
        assertThat(headers.get("X-Amz-Date")).isEqualTo("20150830T123600Z");
        assertThat(headers.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
                + "service/aws4_request, SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        assertThat(headers).doesNotContainKeys("X-Amz-Content-Sha256", "X-Amz-Security-Token", "Host", "host");
    }

    @Test
    void getVanillaWithSessionTokenSignsTheToken() {
        SigV4Signer.Credentials session = new SigV4Signer.Credentials(SUITE_KEY.accessKeyId(),
                SUITE_KEY.secretAccessKey(), "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267");

        Map<String, String> headers = new SigV4Signer("service", false).sign(get("/"), session, "us-east-1", SUITE_TIME);

        assertThat(headers.get("X-Amz-Security-Token")).isEqualTo(session.sessionToken());
        assertThat(headers.get("Authorization"))
                .contains("SignedHeaders=host;x-amz-date;x-amz-security-token")
                .endsWith("Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
    }

    @Test
    void postStsHeaderBefore() {
        SigV4Signer.Credentials session = new SigV4Signer.Credentials(SUITE_KEY.accessKeyId(),
                SUITE_KEY.secretAccessKey(), "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFq"
                + "wAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQ"
                + "DYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypN"
                + "C9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==");
        SigV4Signer.Request request = new SigV4Signer.Request("POST", HOST, "/", null, Map.of(), new byte[0]);

        assertThat(signature(new SigV4Signer("service", false).sign(request, session, "us-east-1", SUITE_TIME)))
                .isEqualTo("85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
    }

    @Test
    void postWithSignedBodyHashAndCallerHeaders() {
        Map<String, String> callerHeaders = new LinkedHashMap<>();
        callerHeaders.put("Content-Type", "application/x-www-form-urlencoded");
        callerHeaders.put("Content-Length", "13");
        SigV4Signer.Request request = new SigV4Signer.Request("POST", HOST, "/", null, callerHeaders,
                "Param1=value1".getBytes(UTF_8));
        SigV4Signer signer = new SigV4Signer("service", true);

        assertThat(signer.canonicalRequest(request, SUITE_KEY, SUITE_TIME)).isEqualTo("""
                POST
                /

                content-length:13
                content-type:application/x-www-form-urlencoded
                host:example.amazonaws.com
                x-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
                x-amz-date:20150830T123600Z

                content-length;content-type;host;x-amz-content-sha256;x-amz-date
                9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e""");
        Map<String, String> headers = signer.sign(request, SUITE_KEY, "us-east-1", SUITE_TIME);
        assertThat(headers.get("X-Amz-Content-Sha256"))
                .isEqualTo("9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
        assertThat(signature(headers)).isEqualTo("d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b");
    }

    @Test
    void pathsAreEncodedSegmentBySegment() {
        SigV4Signer signer = new SigV4Signer("service", false);

        assertThat(signature(signer.sign(get("/ሴ"), SUITE_KEY, "us-east-1", SUITE_TIME)))
                .isEqualTo("8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
        assertThat(signature(signer.sign(get("/example space/"), SUITE_KEY, "us-east-1", SUITE_TIME)))
                .isEqualTo("652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741");
    }

    @Test
    void modelIdsAreSentOnceEncodedAndSignedTwiceEncoded() {
        String modelId = "anthropic.claude-3-5-sonnet-20240620-v1:0";
        String path = BedrockEndpoint.modelPath(modelId, "converse");

        assertThat(path).isEqualTo("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
        assertThat(SigV4Signer.canonicalUri(path))
                .isEqualTo("/model/anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse");
        assertThat(BedrockEndpoint.modelPath("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x", "invoke"))
                .isEqualTo("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x/invoke");
        assertThat(SigV4Signer.canonicalQuery("b=2&a=x%20y&a=1")).isEqualTo("a=1&a=x%20y&b=2");
    }

    @Test
    void bedrockSignatureMatchesTheAwsSdkSigner() {
        Instant now = Instant.parse("2026-03-14T09:26:53Z");
        String path = BedrockEndpoint.modelPath("anthropic.claude-3-5-sonnet-20240620-v1:0", "converse");
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}";
        SigV4Signer.Credentials credentials = new SigV4Signer.Credentials("ASIAEXAMPLE0000000001",
                "secret/with+chars", "session+token/==");
        SdkHttpFullRequest sdkRequest = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("https://bedrock-runtime.eu-west-1.amazonaws.com"))
                .encodedPath(path)
                .putHeader("Content-Type", "application/json")
                .build();
        SignedRequest sdkSigned = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                        credentials.sessionToken()))
                .request(sdkRequest)
                .payload(ContentStreamProvider.fromByteArray(body.getBytes(UTF_8)))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)));

        Map<String, String> ours = SigV4Signer.bedrock().sign(new SigV4Signer.Request("POST",
                "bedrock-runtime.eu-west-1.amazonaws.com", path, null, Map.of("Content-Type", "application/json"),
                body.getBytes(UTF_8)), credentials, "eu-west-1", now);

        assertThat(ours.get("Authorization")).isEqualTo(sdkSigned.request().firstMatchingHeader("Authorization")
                .orElseThrow());
        assertThat(ours.get("X-Amz-Content-Sha256")).isEqualTo(sdkSigned.request()
                .firstMatchingHeader("x-amz-content-sha256").orElseThrow());
    }
}

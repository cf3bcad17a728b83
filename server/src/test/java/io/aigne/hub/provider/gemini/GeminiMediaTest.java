package io.aigne.hub.provider.gemini;

import static io.aigne.hub.provider.gemini.GeminiFixture.MODEL;
import static io.aigne.hub.provider.gemini.GeminiFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.aigne.hub.gateway.canonical.ContentPart;
import io.aigne.hub.gateway.canonical.Message;
import io.aigne.hub.server.ApiException;
import io.aigne.hub.testing.FakeGeminiProvider;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Images and documents: inline bytes pass through, caller URLs are fetched and sent inline, file URIs stay URIs. */
class GeminiMediaTest {
    private static final byte[] PNG = Base64.getDecoder().decode(FakeGeminiProvider.TINY_PNG_BASE64);

    private static GeminiFixture gemini;
    private static HttpServer media;

    @BeforeAll
    static void start() throws Exception {
        gemini = new GeminiFixture();
        media = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        media.createContext("/cat.png", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, PNG.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(PNG);
            }
        });
        media.createContext("/missing.png", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        media.start();
    }

    @AfterAll
    static void stop() {
        media.stop(0);
        gemini.close();
    }

    private static String mediaUrl(String path) {
        return "http://127.0.0.1:" + media.getAddress().getPort() + path;
    }

    private static JsonNode partsSentFor(ContentPart... parts) throws Exception {
        gemini.adapter.chat(gemini.route(MODEL), request(List.of(new Message(Message.Role.USER, List.of(parts)))));
        return gemini.fake.lastRequest().json().at("/contents/0/parts");
    }

    @Test
    void inlineImagesAndDocumentsBecomeInlineData() throws Exception {
        JsonNode parts = partsSentFor(new ContentPart.Text("What is this?"),
                ContentPart.Image.inline("image/png", FakeGeminiProvider.TINY_PNG_BASE64),
                new ContentPart.Document("application/pdf", "JVBERi0xLjQK", null, "doc", null));

        assertThat(parts).hasSize(3);
        assertThat(parts.get(0).path("text").asText()).isEqualTo("What is this?");
        assertThat(parts.at("/1/inlineData/mimeType").asText()).isEqualTo("image/png");
        assertThat(parts.at("/1/inlineData/data").asText()).isEqualTo(FakeGeminiProvider.TINY_PNG_BASE64);
        assertThat(parts.at("/2/inlineData/mimeType").asText()).isEqualTo("application/pdf");
        assertThat(parts.at("/2/inlineData/data").asText()).isEqualTo("JVBERi0xLjQK");
    }

    @Test
    void imageUrlsAreFetchedAndSentInline() throws Exception {
        JsonNode parts = partsSentFor(ContentPart.Image.link(mediaUrl("/cat.png")));

        assertThat(parts.at("/0/inlineData/mimeType").asText()).isEqualTo("image/png");
        assertThat(Base64.getDecoder().decode(parts.at("/0/inlineData/data").asText())).isEqualTo(PNG);
        assertThat(parts.at("/0").has("fileData")).isFalse();
    }

    @Test
    void dataUrlsAreDecoded() throws Exception {
        JsonNode parts = partsSentFor(ContentPart.Image.link("data:image/png;base64," + FakeGeminiProvider.TINY_PNG_BASE64));

        assertThat(parts.at("/0/inlineData/mimeType").asText()).isEqualTo("image/png");
        assertThat(Base64.getDecoder().decode(parts.at("/0/inlineData/data").asText())).isEqualTo(PNG);
    }

    @Test
    void filesApiAndCloudStorageUrisStayFileData() throws Exception {
        JsonNode parts = partsSentFor(
                new ContentPart.Image("image/jpeg", null, "gs://bucket/cat.jpg", null, null),
                new ContentPart.Document(null, null, "https://generativelanguage.googleapis.com/v1beta/files/abc123",
                        null, null));

        assertThat(parts.at("/0/fileData/fileUri").asText()).isEqualTo("gs://bucket/cat.jpg");
        assertThat(parts.at("/0/fileData/mimeType").asText()).isEqualTo("image/jpeg");
        assertThat(parts.at("/1/fileData/fileUri").asText())
                .isEqualTo("https://generativelanguage.googleapis.com/v1beta/files/abc123");
        assertThat(parts.at("/1/fileData").has("mimeType")).isFalse();
    }

    @Test
    void imagesReturnedByAToolFollowItsResponse() throws Exception {
        List<Message> conversation = List.of(Message.user("Draw"),
                new Message(Message.Role.ASSISTANT, List.of(new ContentPart.ToolCall("c1", "render", "{}"))),
                new Message(Message.Role.USER, List.of(new ContentPart.ToolResult("c1", null, List.of(
                        new ContentPart.Text("rendered"), ContentPart.Image.link(mediaUrl("/cat.png"))), false))));

        gemini.adapter.chat(gemini.route(MODEL), request(conversation));

        JsonNode parts = gemini.fake.lastRequest().json().at("/contents/2/parts");
        assertThat(parts.at("/0/functionResponse/name").asText()).isEqualTo("render");
        assertThat(parts.at("/0/functionResponse/response/output").asText()).isEqualTo("rendered");
        assertThat(parts.at("/1/inlineData/mimeType").asText()).isEqualTo("image/png");
    }

    @Test
    void anUnreachableImageIsTheCallersMistakeAndNothingIsSent() {
        gemini.fake.clearRequests();

        assertThatThrownBy(() -> partsSentFor(ContentPart.Image.link(mediaUrl("/missing.png"))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("messages[0].content");
                    assertThat(e.getMessage()).contains("404");
                });
        assertThat(gemini.fake.requests()).isEmpty();
    }
}

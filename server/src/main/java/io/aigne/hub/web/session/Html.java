package io.aigne.hub.web.session;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderName;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * The hub's few server-rendered pages: escaped text in a plain layout, sent with headers that keep them out of
 * frames (no clickjacking of an approve button), out of caches, and from leaking their URL as a Referer.
 */
public final class Html {
    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    private static final HeaderName CONTENT_TYPE_OPTIONS = HeaderNames.create("X-Content-Type-Options");

    private Html() {
    }

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A hidden form field; name and value are escaped. */
    public static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">";
    }

    /** Sends a page; {@code body} must already be escaped HTML. */
    public static void send(ServerResponse res, int status, String title, String body) {
        String page = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · AIGNE Hub</title>
                <style>
                body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;
                background:#f6f7f9;line-height:1.45}
                .top{background:#141a26;color:#e8ecf4;padding:.7rem 1rem;font-weight:700}
                main{max-width:26rem;margin:3rem auto;padding:1.5rem;background:#fff;border:1px solid #d9dde5;
                border-radius:8px}
                h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;margin:.8rem 0 .2rem;font-weight:500}
                input[type=text],input[type=password],input[type=number]{width:100%%;padding:.5rem;box-sizing:border-box;
                border:1px solid #b9c0cc;border-radius:6px;font:inherit}
                button,a.button{display:inline-block;margin-top:1rem;margin-right:.5rem;padding:.5rem 1.2rem;font:inherit;
                border-radius:6px;border:1px solid #2456d6;background:#2456d6;color:#fff;cursor:pointer;
                text-decoration:none}
                a.button{margin-top:0;background:#fff;color:#2456d6}
                :focus-visible{outline:3px solid #7aa2ff;outline-offset:2px}
                .error{color:#b00020}.muted{color:#5b6475}
                </style></head>
                <body><div class="top">AIGNE Hub</div><main><h1>%s</h1>
                %s
                </main></body></html>
                """.formatted(escape(title), escape(title), body);
        sendDocument(res, status, page,
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    }

    /** Sends a whole HTML document under the content security policy {@code csp}, never cached or framed. */
    public static void sendDocument(ServerResponse res, int status, String document, String csp) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(CSP, csp);
        res.header(FRAME_OPTIONS, "DENY");
        res.header(REFERRER_POLICY, "no-referrer");
        res.header(CONTENT_TYPE_OPTIONS, "nosniff");
        res.send(document);
    }

    /** 303 See Other to a path on this hub. */
    public static void redirect(ServerResponse res, String localPath) {
        res.status(Status.SEE_OTHER_303);
        res.header(HeaderNames.LOCATION, localPath);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send();
    }
}

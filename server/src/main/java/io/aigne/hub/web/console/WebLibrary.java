package io.aigne.hub.web.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The browser libraries the pages use, each served from its WebJar on the class path. The version comes from the
 * jar's own {@code pom.properties}, so the pom is the one place it is pinned; URLs carry it, so browsers may keep
 * these files forever.
 */
public enum WebLibrary {
    CHART("org.webjars.npm", "chart.js", "dist/chart.umd.js", null, "Chart"),
    MARKED("org.webjars.npm", "marked", "marked.min.js", null, "marked"),
    DOMPURIFY("org.webjars.npm", "dompurify", "dist/purify.min.js", null, "DOMPurify"),
    HIGHLIGHT("org.webjars", "highlightjs", "highlight.js", "styles/github.min.css", "hljs");

    private final String group;
    private final String artifact;
    private final String script;
    private final String stylesheet;
    private final String global;
    private volatile String version;

    WebLibrary(String group, String artifact, String script, String stylesheet, String global) {
        this.group = group;
        this.artifact = artifact;
        this.script = script;
        this.stylesheet = stylesheet;
        this.global = global;
    }

    /** The name under which the library's script defines itself on {@code window}. */
    public String global() {
        return global;
    }

    public String scriptUrl() {
        return url(script);
    }

    /** The library's stylesheet URL, or null when it has none. */
    public String stylesheetUrl() {
        return stylesheet == null ? null : url(stylesheet);
    }

    private String url(String file) {
        return StaticAssets.LIB_PREFIX + artifact + "/" + version() + "/" + file;
    }

    String version() {
        String v = version;
        if (v == null) {
            String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
            try (InputStream in = WebLibrary.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the WebJar " + group + ":" + artifact + " is not on the class path");
                }
                Properties p = new Properties();
                p.load(in);
                v = p.getProperty("version");
                version = v;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return v;
    }
}

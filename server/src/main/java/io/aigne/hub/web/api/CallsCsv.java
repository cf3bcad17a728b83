package io.aigne.hub.web.api;

import io.aigne.hub.auth.User;
import io.aigne.hub.usage.CallRecord;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Calls as CSV rows, with the columns of the original hub's export (spec §4.2), RFC 4180 quoting and CRLF line
 * ends. Spreadsheets run a cell that starts with {@code = + - @} (or a tab or carriage return) as a formula, and
 * cell text here comes from callers (model names, app ids, user names), so such a cell gets a leading apostrophe,
 * which shows the text as typed.
 */
final class CallsCsv {
    private static final List<String> COLUMNS = List.of("timestamp", "requestId", "userDid", "userName", "userEmail",
            "model", "provider", "type", "status", "inputTokens", "outputTokens", "totalUsage", "credits",
            "duration", "appDid");
    private static final List<String> ENGLISH = List.of("Timestamp", "Request ID", "User DID", "User Name",
            "User Email", "Model", "Provider", "Type", "Status", "Input Tokens", "Output Tokens", "Total Usage",
            "Credits", "Duration(s)", "App DID");
    private static final List<String> CHINESE = List.of("时间", "请求ID", "用户DID", "用户名", "用户邮箱", "模型",
            "提供商", "类型", "状态", "输入Token数", "输出Token数", "总使用量", "积分", "时长(秒)", "应用DID");

    private final boolean chinese;

    CallsCsv(boolean chinese) {
        this.chinese = chinese;
    }

    static List<String> columns() {
        return COLUMNS;
    }

    void header(OutputStream out) throws IOException {
        write(out, chinese ? CHINESE : ENGLISH);
    }

    /** One call; {@code user} is its user when known. requestId is the call's id, as in the original export. */
    void row(OutputStream out, CallRecord r, User user) throws IOException {
        write(out, List.of(
                Instant.ofEpochMilli(r.createdAt()).toString(),
                r.id(),
                nullToEmpty(r.userId()),
                user == null ? "" : Names.displayName(user),
                user == null || user.email() == null ? "" : user.email(),
                nullToEmpty(r.modelRequested()),
                nullToEmpty(r.provider()),
                r.type().wireName(),
                r.status().wireName(),
                Long.toString(r.usage().inputTokens()),
                Long.toString(r.usage().outputTokens()),
                Long.toString(ModelCallsApi.totalUsage(r)),
                StatsView.credits(r.credits()),
                BigDecimal.valueOf(r.latencyMs(), 3).stripTrailingZeros().toPlainString(),
                nullToEmpty(r.appDid())));
    }

    private static void write(OutputStream out, List<String> cells) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(cell(cells.get(i)));
        }
        line.append("\r\n");
        out.write(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A cell made safe for spreadsheets, then quoted when it holds a comma, a quote or a line break. */
    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

package io.aigne.hub.gateway.openai;


/** Byte-level edits of serialised JSON, for the few changes the relay makes without re-serialising. */
final class JsonBytes {
    private JsonBytes() {
    }

    /**
     * A copy of {@code bytes[from, to)} without the first member {@code key: null} (and the comma that joins it),
     * or null when there is no such member. Only top-level usage is ever removed, and OpenAI writes it last, but
     * the edit is correct wherever the member stands.
     */
    static byte[] withoutNullMember(byte[] bytes, int from, int to, byte[] quotedKey) {
        int key = SseRelay.indexOf(bytes, quotedKey, from, to);
        while (key >= 0) {
            byte[] out = withoutNullMemberAt(bytes, from, to, key, quotedKey.length);
            if (out != null) {
                return out;
            }
            key = SseRelay.indexOf(bytes, quotedKey, key + 1, to);
        }
        return null;
    }

    /**
     * A copy of {@code bytes[from, to)} without the member whose name starts at {@code key} (of {@code keyLength}
     * bytes including quotes) if its value is {@code null}; else null. The caller already found the member.
     */
    static byte[] withoutNullMemberAt(byte[] bytes, int from, int to, int key, int keyLength) {
        int i = skipSpace(bytes, key + keyLength, to);
        if (i >= to || bytes[i] != ':') {
            return null;
        }
        int v = skipSpace(bytes, i + 1, to);
        if (v + 4 > to || bytes[v] != 'n' || bytes[v + 1] != 'u' || bytes[v + 2] != 'l' || bytes[v + 3] != 'l') {
            return null;
        }
        int memberEnd = v + 4;
        int cutStart = key;
        int cutEnd = memberEnd;
        int before = skipSpaceBackwards(bytes, key - 1, from);
        if (before >= from && bytes[before] == ',') {
            cutStart = before;
        } else {
            int after = skipSpace(bytes, memberEnd, to);
            if (after < to && bytes[after] == ',') {
                cutEnd = after + 1;
            }
        }
        byte[] out = new byte[(cutStart - from) + (to - cutEnd)];
        System.arraycopy(bytes, from, out, 0, cutStart - from);
        System.arraycopy(bytes, cutEnd, out, cutStart - from, to - cutEnd);
        return out;
    }

    private static int skipSpace(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
            i++;
        }
        return i;
    }

    private static int skipSpaceBackwards(byte[] b, int i, int from) {
        while (i >= from && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
            i--;
        }
        return i;
    }
}

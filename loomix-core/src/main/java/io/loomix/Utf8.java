package io.loomix;

/** Strict UTF-8 validation: no overlong forms, no surrogates, nothing above U+10FFFF. */
final class Utf8 {
    private Utf8() {}

    static boolean isValid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xFF;
            if (c < 0xC2) return false;
            if (c < 0xE0) {
                if (i + 1 >= to || (b[i + 1] & 0xC0) != 0x80) return false;
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= to) return false;
                int c1 = b[i + 1] & 0xFF;
                if ((c1 & 0xC0) != 0x80 || (b[i + 2] & 0xC0) != 0x80) return false;
                if (c == 0xE0 && c1 < 0xA0 || c == 0xED && c1 >= 0xA0) return false;
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= to) return false;
                int c1 = b[i + 1] & 0xFF;
                if ((c1 & 0xC0) != 0x80 || (b[i + 2] & 0xC0) != 0x80 || (b[i + 3] & 0xC0) != 0x80) return false;
                if (c == 0xF0 && c1 < 0x90 || c == 0xF4 && c1 >= 0x90) return false;
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }
}

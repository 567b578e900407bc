package io.relata.metadata;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One metadata file's text, as read from disk or given by a test or an upload.
 *
 * @param displayName the path shown in messages, e.g. {@code metadata/entities/account.yaml}; its parent
 *                    folder name is the kind of metadata ({@code entities}, {@code processes}, …) and its
 *                    base name must match the name of what it defines
 * @param content     the YAML text, or the JavaScript of a rule script ({@code *.js} next to entities, processes
 *                    and dialogs)
 */
public record MetadataFile(String displayName, String content) {

    public MetadataFile {
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(content, "content");
    }

    /** The parent folder name, e.g. {@code entities}; empty if the name has no folder. */
    public String kind() {
        String normalized = displayName.replace('\\', '/');
        int slash = normalized.lastIndexOf('/');
        if (slash < 0) {
            return "";
        }
        int previous = normalized.lastIndexOf('/', slash - 1);
        return normalized.substring(previous + 1, slash);
    }

    /** The file name without folder and without {@code .yaml}/{@code .yml}, e.g. {@code account}. */
    public String baseName() {
        String normalized = displayName.replace('\\', '/');
        String name = normalized.substring(normalized.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** True for {@code .js} files: rule scripts, read only when a rule of an entity, process or dialog refers to them. */
    public boolean isScript() {
        return displayName.toLowerCase(java.util.Locale.ROOT).endsWith(".js");
    }

    /** True for {@code .yaml} and {@code .yml} files; other files are ignored by the loader. */
    public boolean isYaml() {
        String lower = displayName.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml");
    }

    /**
     * A file from its bytes, which must be UTF-8 (a byte order mark is dropped). A file in another encoding is
     * reported as {@link ProblemCode#FILE_NOT_UTF8} at the line and column of its first byte that is not UTF-8
     * (a Latin-1 'ä', a lone continuation byte), or at 1:1 for a file that looks like UTF-16 (by its byte order
     * mark or the NUL bytes between its letters), and empty is returned.
     *
     * @param problems where the problem goes
     */
    public static Optional<MetadataFile> fromBytes(String displayName, byte[] bytes, List<MetadataProblem> problems) {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        if (looksLikeUtf16(bytes)) {
            problems.add(new MetadataProblem(displayName, 1, 1, ProblemCode.FILE_NOT_UTF8,
                    "The file is not UTF-8: it looks like UTF-16 (" + (hasUtf16Mark(bytes) ? "it starts with a UTF-16 "
                            + "byte order mark" : "a NUL byte stands between its letters") + ").",
                    "save it as UTF-8 (in the editor's 'Save with encoding' or 'File encoding' menu)."));
            return Optional.empty();
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer output = CharBuffer.allocate(bytes.length);
        var result = decoder.decode(input, output, true);
        if (!result.isError()) {
            result = decoder.flush(output);
        }
        if (result.isError()) {
            int bad = input.position();
            int lineStart = start;
            int line = 1;
            for (int i = start; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            String before = new String(bytes, lineStart, bad - lineStart, StandardCharsets.UTF_8);
            int column = before.codePointCount(0, before.length()) + 1;
            int value = bad < bytes.length ? bytes[bad] & 0xFF : 0;
            String latin1 = value >= 0xA0 ? ", which in Latin-1 (ISO-8859-1) is " + Problems.q((char) value) : "";
            problems.add(new MetadataProblem(displayName, line, column, ProblemCode.FILE_NOT_UTF8,
                    "The file is not UTF-8: the byte 0x" + String.format("%02X", value) + " here is not valid UTF-8"
                            + latin1 + ".",
                    "save it as UTF-8 (in the editor's 'Save with encoding' or 'File encoding' menu)."));
            return Optional.empty();
        }
        output.flip();
        return Optional.of(new MetadataFile(displayName, output.toString()));
    }

    private static boolean hasUtf16Mark(byte[] bytes) {
        return bytes.length >= 2 && ((bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF
                || (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE);
    }

    /** A UTF-16 byte order mark, or NUL bytes in at least a third of the even or of the odd places of the start. */
    private static boolean looksLikeUtf16(byte[] bytes) {
        if (hasUtf16Mark(bytes)) {
            return true;
        }
        int pairs = Math.min(bytes.length, 1024) / 2;
        int evenNuls = 0;
        int oddNuls = 0;
        for (int i = 0; i < pairs; i++) {
            evenNuls += bytes[2 * i] == 0 ? 1 : 0;
            oddNuls += bytes[2 * i + 1] == 0 ? 1 : 0;
        }
        return pairs >= 2 && (evenNuls * 3 >= pairs && oddNuls * 10 < pairs || oddNuls * 3 >= pairs && evenNuls * 10 < pairs);
    }
}

package io.livestore.store;

import java.nio.file.Path;

/**
 * Validation of storeIds and definition names (S5), and their injective mapping to file names.
 *
 * <p>A valid id is 1–128 characters of {@code [A-Za-z0-9._:-]}, and not {@code "."} or {@code ".."}.
 * File names must stay distinct on case-insensitive file systems (macOS, Windows) and must not
 * contain {@code ':'}, so the mapping lower-cases letters, writes {@code ':'} as {@code '='}, and, when
 * the id has upper-case letters, appends {@code '~'} and the positions of those letters as a base-32
 * bit set ({@code "Org:Acme"} becomes {@code "org=acme~h"}). Neither {@code '='} nor {@code '~'} is a
 * valid id character, so the mapping can be decoded and is therefore injective; its output is at most
 * 128 + 1 + 26 characters, inside the 255-byte limit of common file systems with SQLite's
 * {@code -wal} suffix.
 */
public final class StoreIds {

    /** The longest accepted storeId or definition name. */
    public static final int MAX_LENGTH = 128;

    private StoreIds() {
    }

    /** True when {@code id} is an acceptable storeId (or definition or event name). */
    public static boolean isValidName(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH || id.equals(".") || id.equals("..")) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (!isIdChar(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '-';
    }

    /**
     * Checks a storeId.
     *
     * @param definition the definition it was used with, for the message
     * @throws InvalidStoreIdException naming the definition, the id and what was expected
     */
    public static String requireValid(String definition, String storeId) {
        if (!isValidName(storeId)) {
            throw new InvalidStoreIdException("invalid storeId " + describe(storeId) + " for definition '"
                    + definition + "': expected 1-" + MAX_LENGTH + " characters of [A-Za-z0-9._:-], not '.' or '..'")
                    .concerning(definition, storeId);
        }
        return storeId;
    }

    /** Checks a definition name (same rules as a storeId). */
    public static String requireValidDefinitionName(String name) {
        if (!isValidName(name)) {
            throw new InvalidStoreIdException("invalid definition name " + describe(name) + ": expected 1-"
                    + MAX_LENGTH + " characters of [A-Za-z0-9._:-], not '.' or '..'");
        }
        return name;
    }

    /** Quotes an id for a message, escaping control characters and shortening very long ones. */
    static String describe(String id) {
        if (id == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("'");
        int shown = Math.min(id.length(), 64);
        for (int i = 0; i < shown; i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\'') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('\'');
        if (id.length() > shown) {
            sb.append("... (").append(id.length()).append(" characters)");
        } else if (id.isEmpty()) {
            sb.append(" (empty)");
        }
        return sb.toString();
    }

    /** The file-name form of a valid id; see the class comment. */
    static String fileName(String id) {
        StringBuilder sb = new StringBuilder(id.length() + 28);
        java.math.BigInteger upper = java.math.BigInteger.ZERO;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                upper = upper.setBit(i);
                sb.append((char) (c + ('a' - 'A')));
            } else {
                sb.append(c == ':' ? '=' : c);
            }
        }
        if (upper.signum() != 0) {
            sb.append('~').append(upper.toString(32));
        }
        return sb.toString();
    }

    /** Inverse of {@link #fileName}. */
    static String fromFileName(String fileName) {
        int marker = fileName.indexOf('~');
        String body = marker < 0 ? fileName : fileName.substring(0, marker);
        java.math.BigInteger upper = marker < 0 ? java.math.BigInteger.ZERO
                : new java.math.BigInteger(fileName.substring(marker + 1), 32);
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (upper.testBit(i)) {
                sb.append(Character.toUpperCase(c));
            } else {
                sb.append(c == '=' ? ':' : c);
            }
        }
        return sb.toString();
    }

    /**
     * The database file of a store: {@code <dataDir>/<definition>/<storeId>.db}, both names mapped by
     * {@link #fileName}. Validates both first and checks the result stays inside {@code dataDir}.
     */
    static Path databaseFile(Path dataDir, String definition, String storeId) {
        requireValidDefinitionName(definition);
        requireValid(definition, storeId);
        Path root = dataDir.toAbsolutePath().normalize();
        Path file = root.resolve(fileName(definition)).resolve(fileName(storeId) + ".db").normalize();
        if (!file.startsWith(root) || !file.getParent().getParent().equals(root)) {
            // Unreachable for validated ids; kept so a future change to the rules cannot escape the directory.
            throw new InvalidStoreIdException("storeId '" + storeId + "' of definition '" + definition
                    + "' maps outside the data directory " + root);
        }
        return file;
    }
}

package io.livestore.example.issuetracker.stores;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The ids this application hands out, which are also the storeIds of their stores: {@code w-} or
 * {@code i-} and ten base-32 characters (50 random bits). The prefixes keep workspace and issue ids
 * apart, as the registry requires of storeIds of two definitions; the fixed shape lets a request with
 * an id the application could never have made be refused before any store is touched.
 */
public final class Ids {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int LENGTH = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a workspace id looks like. */
    public static final Pattern WORKSPACE = Pattern.compile("w-[a-z2-7]{" + LENGTH + "}");
    /** What an issue id looks like. */
    public static final Pattern ISSUE = Pattern.compile("i-[a-z2-7]{" + LENGTH + "}");

    private Ids() {
    }

    /** A new workspace id. */
    public static String newWorkspaceId() {
        return "w-" + random();
    }

    /** A new issue id. */
    public static String newIssueId() {
        return "i-" + random();
    }

    /** True if {@code id} could be a workspace id. */
    public static boolean isWorkspaceId(String id) {
        return id != null && WORKSPACE.matcher(id).matches();
    }

    /** True if {@code id} could be an issue id. */
    public static boolean isIssueId(String id) {
        return id != null && ISSUE.matcher(id).matches();
    }

    private static String random() {
        char[] chars = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            chars[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(chars);
    }
}

package io.loomix.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Where a node's cookie comes from, as Erlang does it: the option, else {@code LOOMIX_COOKIE},
 * else {@code ~/.erlang.cookie}, which is created (20 random capital letters, mode 0400) when
 * missing, so a Loomix node and an erl node started by the same user agree without configuration.
 */
final class Cookie {
    private static final System.Logger LOG = System.getLogger("io.loomix.dist");

    private Cookie() {}

    static String resolve(String option, Path home) {
        if (option != null) {
            return check(option, "the cookie option");
        }
        String env = System.getenv("LOOMIX_COOKIE");
        if (env != null && !env.isEmpty()) {
            return check(env, "LOOMIX_COOKIE");
        }
        return fromFile(home.resolve(".erlang.cookie"));
    }

    static String fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String cookie = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
            if (cookie.isEmpty()) {
                throw new IllegalStateException(file + " is empty: put a cookie in it (any word), or pass one with --cookie");
            }
            warnIfOthersCanRead(file);
            return cookie;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cookie from " + file + " (" + e.getMessage()
                    + "): pass one with --cookie or LOOMIX_COOKIE", e);
        }
    }

    private static void create(Path file) throws IOException {
        var random = new SecureRandom();
        var cookie = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            cookie.append((char) ('A' + random.nextInt(26)));
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE)));
        } catch (FileAlreadyExistsException raced) {
            return; // another node created it first: use theirs
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, cookie, StandardCharsets.ISO_8859_1);
        try {
            Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ));
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX modes (Windows): nothing more to do
        }
        LOG.log(System.Logger.Level.INFO, "Created " + file + " with a new random cookie, as erl does");
    }

    private static void warnIfOthersCanRead(Path file) throws IOException {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.log(System.Logger.Level.WARNING, "Cookie file " + file + " can be read by others; erl refuses"
                        + " such a file. Fix it with: chmod 400 " + file);
            }
        } catch (UnsupportedOperationException notPosix) {
            // nothing to check
        }
    }

    private static String check(String cookie, String where) {
        if (cookie.isEmpty()) {
            throw new IllegalArgumentException(where + " is empty: a cookie is a non-empty word");
        }
        for (int i = 0; i < cookie.length(); i++) {
            if (cookie.charAt(i) > 255) {
                throw new IllegalArgumentException(where + " has a character outside Latin-1, which Erlang cookies cannot hold");
            }
        }
        return cookie;
    }
}

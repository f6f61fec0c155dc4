package io.gcsflush.redis;

import java.util.Arrays;

/**
 * A user name (or none) and password for AUTH, as the application used them. Held in memory only; never printed.
 */
public final class Credentials {
    private final byte[] user;
    private final byte[] password;

    public Credentials(byte[] user, byte[] password) {
        this.user = user == null ? null : user.clone();
        this.password = password.clone();
    }

    byte[] user() { return user; }
    byte[] password() { return password; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Credentials)) return false;
        Credentials other = (Credentials) o;
        return Arrays.equals(user, other.user) && Arrays.equals(password, other.password);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(user) + Arrays.hashCode(password);
    }

    @Override
    public String toString() {
        return user == null ? "password" : "user and password";
    }
}

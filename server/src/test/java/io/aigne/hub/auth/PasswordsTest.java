package io.aigne.hub.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordsTest {
    @Test
    void hashIsAnArgon2idPhcStringWithTheBaselineParameters() {
        String hash = Passwords.hash("correct horse battery staple");

        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(Passwords.matches("correct horse battery staple", hash)).isTrue();
    }

    @Test
    void aWrongPasswordDoesNotMatch() {
        String hash = Passwords.hash("correct horse battery staple");

        assertThat(Passwords.matches("correct horse battery stapler", hash)).isFalse();
        assertThat(Passwords.matches("", hash)).isFalse();
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(Passwords.hash("same password")).isNotEqualTo(Passwords.hash("same password"));
    }

    @Test
    void noOrAMalformedStoredHashNeverMatches() {
        assertThat(Passwords.matches("anything", null)).isFalse();
        assertThat(Passwords.matches("anything", "plain-text")).isFalse();
        assertThat(Passwords.matches("anything", "$argon2id$v=19$m=19456,t=2,p=1$broken")).isFalse();
    }

    @Test
    void shortPasswordsAreRefusedWithTheReason() {
        assertThat(Passwords.weakness("short")).contains("at least 8 characters");
        assertThat(Passwords.weakness("long enough")).isNull();
    }
}

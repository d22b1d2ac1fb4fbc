package dev.midstream.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed TLS certificates for 127.0.0.1, made with the JDK's keytool, for servers the tests run with TLS
 * (a Kafka SASL_SSL listener, a TLS-only PostgreSQL) and for the clients that must trust, or not trust, them.
 *
 * @param keyStore PKCS12 with the key and certificate, password {@link #PASSWORD}
 * @param certificate the certificate as PEM, what a client trusts
 * @param privateKey the key as PKCS#8 PEM, readable by its owner only
 */
public record TestCertificates(Path keyStore, Path certificate, Path privateKey) {
    public static final String PASSWORD = "test-keystore-pass";

    /** {@code <name>.p12}, {@code <name>.crt} and {@code <name>.key} in {@code dir}. */
    public static TestCertificates selfSigned(Path dir, String name) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname",
                "CN=" + name, "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-keystore", store.toString(), "-storetype",
                "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool could not make a certificate for " + name + ": " + output);
        }
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD.toCharArray());
            Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            Path certificate = Files.writeString(dir.resolve(name + ".crt"), "-----BEGIN CERTIFICATE-----\n"
                    + pem.encodeToString(keys.getCertificate(name).getEncoded()) + "\n-----END CERTIFICATE-----\n");
            Path key = Files.writeString(dir.resolve(name + ".key"), "-----BEGIN PRIVATE KEY-----\n"
                    + pem.encodeToString(keys.getKey(name, PASSWORD.toCharArray()).getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            return new TestCertificates(store, certificate, key);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + store, e);
        }
    }
}

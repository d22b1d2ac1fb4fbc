package dev.midstream.engine;

import dev.midstream.model.ConfigException;
import dev.midstream.options.KafkaOptions;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connects to Kafka once at submission with the job's client settings, so a wrong password, an untrusted certificate
 * or a client that speaks the wrong protocol stops the job there with one line naming the connection and the fix,
 * instead of sources that retry forever on the TaskManagers.
 */
public final class KafkaConnectionCheck {
    static final long TIMEOUT_MS = 10_000;

    private KafkaConnectionCheck() {}

    public static void check(KafkaOptions kafka) {
        String problem;
        try (Admin admin = admin(kafka)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT_MS)).clusterId()
                    .get(TIMEOUT_MS + 2_000, TimeUnit.MILLISECONDS);
            return;
        } catch (ExecutionException e) {
            problem = explain(e.getCause());
        } catch (TimeoutException e) {
            problem = noAnswer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted while connecting";
        } catch (org.apache.kafka.common.KafkaException e) {
            problem = "the client settings are not usable: " + RootCause.of(e).getMessage();
        }
        throw new ConfigException(List.of(kafka.describe() + ": " + problem));
    }

    /** An admin client with the job's client settings that gives up after {@link #TIMEOUT_MS}. */
    static Admin admin(KafkaOptions kafka) {
        Properties properties = kafka.clientProperties();
        properties.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT_MS));
        properties.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT_MS));
        properties.setProperty(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        properties.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "midstream-connection-check");
        return Admin.create(properties);
    }

    private static String explain(Throwable cause) {
        if (cause instanceof SaslAuthenticationException) {
            return "authentication failed (" + cause.getMessage() + "); check the user and password in"
                    + " midstream.kafka.properties.sasl.jaas.config and sasl.mechanism";
        }
        if (cause instanceof SslAuthenticationException) {
            return "the TLS handshake failed: " + RootCause.of(cause).getMessage() + "; if the broker's certificate is not"
                    + " trusted, set midstream.kafka.properties.ssl.truststore.location (and .type) to its CA";
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return noAnswer();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String noAnswer() {
        return "no answer in " + TIMEOUT_MS / 1000 + " s; check that the brokers are reachable and that"
                + " midstream.kafka.properties.security.protocol is the listener's (a PLAINTEXT client gets no answer"
                + " from a TLS listener)";
    }
}

package io.gcsflush.it.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A plain Spring Boot application on {@code spring-boot-starter-data-redis}, for {@code SpringDataRedisIT}: Boot's
 * auto-configuration makes the {@code RedisConnectionFactory} (Lettuce by default, Jedis with
 * {@code --spring.data.redis.client-type=jedis}) and the {@code StringRedisTemplate} from the standard properties
 * given on the command line ({@code --spring.data.redis.host=... --spring.data.redis.port=...
 * --spring.data.redis.database=...}); nothing here configures Redis. {@link RedisWriter} does the work while the
 * application starts; then the context is closed (the connection factory with it), {@code exit} is printed and the
 * JVM exits with Boot's exit code.
 *
 * <p>Not compiled by Maven: the test compiles this folder at run time against the Spring Boot jars it fetched into
 * {@code target/clients/}, so that Spring is never on the test classpath (see the tests' {@code SpringApps}).
 */
@SpringBootApplication
public class SpringRedisWriterApp {

    public static void main(String[] args) {
        ConfigurableApplicationContext context = SpringApplication.run(SpringRedisWriterApp.class, args);
        int code = SpringApplication.exit(context);
        System.out.println("exit");
        System.exit(code);
    }
}

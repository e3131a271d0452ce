package dev.topmock;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code @ExtendWith(TopMockExtension.class)}: a test class whose tests get a {@link TopMockApp} each. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TopMockExtension.class)
public @interface TopMockTest {}

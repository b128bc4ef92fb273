package io.kv.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kv.KvStore;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layers that guard or record every entry operation declare every such method of {@link
 * KvStore} themselves. Their base forwards what a subclass does not override, so a method added
 * to the contract would otherwise pass through the permission check, the limits and the audit
 * unchecked and unrecorded; this test fails instead, naming the method.
 */
class LayerCoverageTest {
  /** The contract's abstract operations on a namespace's entries: first parameter the namespace. */
  private static List<Method> entryOperations() {
    return Arrays.stream(KvStore.class.getMethods())
        .filter(m -> Modifier.isAbstract(m.getModifiers()))
        .filter(m -> m.getParameterCount() > 0 && m.getParameterTypes()[0] == String.class)
        .collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{0} declares every entry operation")
  @ValueSource(classes = {PermissionLayer.class, AuditLayer.class, LimitLayer.class})
  void guardingLayersDeclareEveryEntryOperation(Class<?> layer) {
    List<Method> operations = entryOperations();
    assertThat(operations).as("the contract's entry operations").hasSizeGreaterThan(10);
    List<String> missing = operations.stream()
        .filter(m -> !declares(layer, m))
        .map(m -> m.getName() + Arrays.toString(m.getParameterTypes()))
        .collect(Collectors.toList());
    assertThat(missing).as("entry operations %s forwards without its own check", layer.getSimpleName()).isEmpty();
  }

  private static boolean declares(Class<?> layer, Method m) {
    try {
      layer.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}

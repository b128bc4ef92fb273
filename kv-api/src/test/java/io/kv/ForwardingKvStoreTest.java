package io.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForwardingKvStoreTest {
  /** A user's decorator that overrides one method of {@link KvStore} and nothing else. */
  private static final class GetCounting extends ForwardingKvStore {
    int gets;

    GetCounting(KvStore delegate) {
      super(delegate);
    }

    @Override
    protected KvStore over(KvStore view) {
      return new GetCounting(view);
    }

    @Override
    public Optional<Entry> get(String namespace, String key) {
      gets++;
      return super.get(namespace, key);
    }
  }

  /** One call the delegate received. */
  private record Call(Method method, Object[] args, Object result) {}

  private final List<Call> calls = new ArrayList<>();

  /**
   * A delegate that records every call and answers each with a fresh object, so that the test can
   * tell its answer was passed up unchanged.
   */
  private final KvStore recording = (KvStore) Proxy.newProxyInstance(KvStore.class.getClassLoader(),
      new Class<?>[] {KvStore.class}, (InvocationHandler) (proxy, method, args) -> {
        if (method.getDeclaringClass() == Object.class) {
          return method.getName().equals("equals") ? proxy == args[0]
              : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "recording";
        }
        // A view for a principal is this same recording store, so calls through it are seen too.
        Object result = method.getReturnType() == KvStore.class ? proxy : answer(method.getReturnType());
        calls.add(new Call(method, args == null ? new Object[0] : args, result));
        return result;
      });

  @Test
  void everyMethodOfTheInterfaceItDoesNotOverrideIsForwardedWithItsArgumentsAndAnswer() throws Exception {
    GetCounting store = new GetCounting(recording);
    List<String> checked = new ArrayList<>();

    for (Method m : KvStore.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      calls.clear();
      Object[] args = Arrays.stream(m.getParameterTypes()).map(ForwardingKvStoreTest::argument).toArray();

      Object result = m.invoke(store, args);

      if (m.getName().equals("transaction")) {
        // The builder is bound to the decorator, so only its commit reaches the delegate, through it.
        assertThat(calls).isEmpty();
        Object committed = ((Transaction.Builder) result).put("k", Value.string("v")).commit();
        assertThat(calls).singleElement().satisfies(c -> {
          assertThat(c.method().getName()).isEqualTo("commit");
          assertThat(c.args()[0]).isSameAs(args[0]);
          assertThat(c.result()).isSameAs(committed);
        });
        checked.add(m.getName());
        continue;
      }
      assertThat(calls).as("calls to the delegate for %s", m).hasSize(1);
      Call call = calls.get(0);
      assertThat(call.method().getName()).as("method forwarded for %s", m).isEqualTo(m.getName());
      if (!m.isDefault()) {
        // A default method forwards through the full form it calls, which adds defaults.
        assertThat(call.method()).isEqualTo(m);
        assertThat(call.args()).as("arguments of %s", m).containsExactly(args);
      }
      if (m.getName().equals("as")) {
        assertThat(result).isInstanceOf(GetCounting.class).extracting(Object::toString)
            .isEqualTo("GetCounting -> " + call.result());
      } else if (m.getReturnType() != void.class && !m.getReturnType().isPrimitive()) {
        assertThat(result).as("answer of %s", m).isSameAs(call.result());
      } else if (m.getReturnType() != void.class) {
        assertThat(result).as("answer of %s", m).isEqualTo(call.result());
      }
      checked.add(m.getName());
    }

    assertThat(store.gets).isEqualTo(1);
    assertThat(checked).contains("get", "put", "commit", "transaction", "feature", "close", "as", "subscribe", "namespaces", "capabilities",
        "principal");
  }

  @Test
  void everyAbstractMethodOfTheInterfaceHasAForwardingImplementation() throws Exception {
    for (Method m : KvStore.class.getMethods()) {
      if (Modifier.isAbstract(m.getModifiers())) {
        Method impl = ForwardingKvStore.class.getMethod(m.getName(), m.getParameterTypes());
        assertThat(Modifier.isAbstract(impl.getModifiers())).as("%s is implemented", m).isFalse();
        assertThat(impl.getDeclaringClass()).as("%s is implemented", m).isEqualTo(ForwardingKvStore.class);
      }
    }
  }

  @Test
  void aViewForAPrincipalIsDecoratedOverTheDelegatesView() {
    GetCounting store = new GetCounting(recording);

    KvStore view = store.as(Principal.of("alice"));
    calls.clear();
    view.get("ns", "k");

    assertThat(view).isInstanceOf(GetCounting.class);
    assertThat(((GetCounting) view).gets).isEqualTo(1);
    assertThat(calls).singleElement().extracting(c -> c.method().getName()).isEqualTo("get");
  }

  private static Object argument(Class<?> type) {
    if (type == String.class) {
      return new String("text");
    } else if (type == long.class) {
      return 7L;
    } else if (type == Value.class) {
      return Value.string("v");
    } else if (type == WriteOptions.class) {
      return WriteOptions.none();
    } else if (type == ListOptions.class) {
      return ListOptions.all();
    } else if (type == ChangeFilter.class) {
      return ChangeFilter.all();
    } else if (type == Principal.class) {
      return Principal.of("alice");
    } else if (type == Class.class) {
      return ValueRewriter.class;
    } else if (type == Map.class) {
      return new HashMap<>(Map.of("k", Value.string("v")));
    } else if (type == Transaction.class) {
      return Transaction.builder().versionIs("a", 1).put("a", Value.string("v")).build();
    } else if (type == java.util.Collection.class) {
      return new ArrayList<>(List.of("k"));
    } else if (type.isInterface()) {
      return proxy(type);
    }
    throw new AssertionError("no sample argument of " + type + ": add one for the new method");
  }

  private static Object answer(Class<?> type) {
    if (type == void.class) {
      return null;
    } else if (type == boolean.class) {
      return true;
    } else if (type == long.class) {
      return 42L;
    } else if (type == int.class) {
      return 42;
    } else if (type == Optional.class) {
      return Optional.of(new Object());
    } else if (type == Map.class) {
      return new HashMap<>();
    } else if (type == List.class) {
      return new ArrayList<>();
    } else if (type == Entry.class) {
      Instant t = Instant.EPOCH;
      return new Entry("ns", "k", Value.string("v"), 1, t, t, Optional.empty(), Map.of(), Set.of());
    } else if (type == Page.class) {
      return new Page(List.of(), Optional.empty());
    } else if (type == TransactionResult.class) {
      return new TransactionResult(Map.of(), List.of());
    } else if (type == Capabilities.class) {
      return new Capabilities(true, true, false, Capabilities.SecretValues.values()[0]);
    } else if (type == Principal.class) {
      return new Principal("bob");
    } else if (type.isInterface()) {
      return proxy(type);
    }
    throw new AssertionError("no sample answer of " + type + ": add one for the new method");
  }

  private static Object proxy(Class<?> type) {
    String name = "a " + type.getSimpleName();
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (p, m, a) -> m.getName().equals("toString") ? name : m.getName().equals("equals") ? p == a[0] : null);
  }
}

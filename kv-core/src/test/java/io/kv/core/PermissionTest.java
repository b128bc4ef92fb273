package io.kv.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PermissionTest {
  @Test
  void idsAreThoseOfTheSharedPermissionLibrary() {
    assertThat(Arrays.stream(Permission.values()).map(Permission::id)).containsExactly(
        "kv-namespace:read", "kv-namespace:write", "kv-namespace:delete",
        "kv-entry:read", "kv-entry:write", "kv-entry:delete", "kv-secret:rotate");
    assertThat(Permission.SECRET_ROTATE).hasToString("kv-secret:rotate");
  }

  @Test
  void fromIdIsTheInverseOfId() {
    for (Permission p : Permission.values()) {
      assertThat(Permission.fromId(p.id())).isSameAs(p);
    }
    assertThatThrownBy(() -> Permission.fromId("kv-entry:admin")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Permission.fromId(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void onlyEntryAndSecretPermissionsApplyToKeys() {
    assertThat(Arrays.stream(Permission.values()).filter(Permission::appliesToKeys)).containsExactly(
        Permission.ENTRY_READ, Permission.ENTRY_WRITE, Permission.ENTRY_DELETE, Permission.SECRET_ROTATE);
  }
}

package io.flowinspect.inspect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Objects;

/**
 * Two connections equal field by field, through the engine's own objects, by reflection: a field
 * added later is compared without anyone remembering to add it here. A history's letters are
 * compared as far as they are used.
 */
final class SameState {
  private SameState() {}

  static void assertSameState(Object expected, Object actual, String path) {
    if (expected == null || actual == null) {
      assertThat(actual).as(path).isEqualTo(expected);
      return;
    }
    assertThat(actual.getClass()).as(path).isEqualTo(expected.getClass());
    Class<?> type = expected.getClass();
    if (type == HistoryLetters.class) {
      assertThat(actual.toString()).as(path).isEqualTo(expected.toString());
      return;
    }
    if (!type.getPackageName().equals(Conn.class.getPackageName()) || type.isEnum() || type.isRecord()) {
      if (type.isArray()) {
        assertThat(java.util.Arrays.deepEquals(new Object[] {expected}, new Object[] {actual})).as(path).isTrue();
      } else {
        assertThat(Objects.equals(expected, actual)).as(path + ": " + expected + " / " + actual).isTrue();
      }
      return;
    }
    for (Field f : type.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      f.setAccessible(true);
      try {
        Object e = f.get(expected);
        Object a = f.get(actual);
        if (f.getType().isPrimitive()) {
          assertThat(a).as(path + "." + f.getName()).isEqualTo(e);
        } else {
          assertSameState(e, a, path + "." + f.getName());
        }
      } catch (IllegalAccessException ex) {
        throw new AssertionError(ex);
      }
    }
  }
}

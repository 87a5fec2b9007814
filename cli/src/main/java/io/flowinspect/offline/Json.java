package io.flowinspect.offline;

/** Just enough JSON writing for flat records of strings and numbers. */
final class Json {
  private final StringBuilder sb = new StringBuilder(256).append('{');

  Json field(String name, String value) {
    key(name);
    sb.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
    return this;
  }

  Json field(String name, long value) {
    key(name);
    sb.append(value);
    return this;
  }

  Json field(String name, double value) {
    key(name);
    sb.append(value);
    return this;
  }

  private void key(String name) {
    if (sb.length() > 1) {
      sb.append(',');
    }
    sb.append('"').append(name).append("\":");
  }

  @Override
  public String toString() {
    return sb + "}";
  }
}

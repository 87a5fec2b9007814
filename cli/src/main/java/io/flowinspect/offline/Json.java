package io.flowinspect.offline;

/** Just enough JSON writing for records of strings, numbers and nested records. */
public final class Json {
  private final StringBuilder sb = new StringBuilder(256).append('{');

  /** A string; null becomes JSON's null. */
  public Json field(String name, String value) {
    key(name);
    if (value == null) {
      sb.append("null");
      return this;
    }
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

  public Json field(String name, long value) {
    key(name);
    sb.append(value);
    return this;
  }

  public Json field(String name, boolean value) {
    key(name);
    sb.append(value);
    return this;
  }

  /** A number; NaN and infinities, which JSON cannot hold, become null. */
  public Json field(String name, double value) {
    key(name);
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      sb.append("null");
    } else {
      // Plain digits, as Zeek writes times (1795678983.435576, not 1.795678983435576E9): the
      // shortest decimal that reads back as the same double.
      sb.append(new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString());
    }
    return this;
  }

  public Json field(String name, Json nested) {
    key(name);
    sb.append(nested);
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

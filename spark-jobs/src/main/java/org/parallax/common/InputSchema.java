package org.parallax.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;

/**
 * The columns an input must have, their types, and row rules beyond types. A {@link TableReader}
 * checks every row against it; rows that break it go to quarantine with the broken rule as reason.
 *
 * @param name the input's name in reports and quarantine paths ({@code interactions}, {@code corpus})
 * @param fields the columns read, in order
 * @param rules extra row checks over the typed columns
 * @param keepOtherColumns keep input columns the schema does not name (attribute tables), as read
 * @param aliases the input's own name of a schema column, where they differ ({@code user_id} read
 *     from {@code userId})
 * @param timestamps how text and numbers become the timestamp columns
 */
public record InputSchema(String name, List<Field> fields, List<Rule> rules,
    boolean keepOtherColumns, Map<String, String> aliases, TimestampParsing timestamps) {

  /** One column: its name, its type, and whether a row without it is malformed. */
  public record Field(String name, DataType type, boolean required) {}

  /**
   * A row rule: {@code violated} is true for a bad row; {@code code} is a short stable name for
   * counting (e.g. {@code empty_contents}), {@code reason} the text put in {@code _reason}.
   */
  public record Rule(String code, String reason, Column violated) {}

  public InputSchema {
    fields = List.copyOf(fields);
    rules = List.copyOf(rules);
    aliases = Map.copyOf(aliases);
    timestamps = timestamps == null ? TimestampParsing.DEFAULT : timestamps;
  }

  /** The same schema reading column {@code schemaName} from the input's {@code inputName}. */
  public InputSchema withAliases(Map<String, String> schemaToInput) {
    for (String c : schemaToInput.keySet()) {
      if (fields.stream().noneMatch(f -> f.name().equals(c))) {
        throw new IllegalArgumentException("input " + name + " has no column " + c
            + " to map; its columns are " + fields.stream().map(Field::name).toList());
      }
    }
    return new InputSchema(name, fields, rules, keepOtherColumns, schemaToInput, timestamps);
  }

  /** The same schema reading its timestamp columns as {@code parsing} says. */
  public InputSchema withTimestamps(TimestampParsing parsing) {
    return new InputSchema(name, fields, rules, keepOtherColumns, aliases, parsing);
  }

  /** The name of schema column {@code column} in the input. */
  public String inputName(String column) {
    return aliases.getOrDefault(column, column);
  }

  /** Starts a schema for the input called {@code name}. */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Collects fields and rules for an {@link InputSchema}. */
  public static final class Builder {
    private final String name;
    private final List<Field> fields = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private boolean keepOtherColumns;

    private Builder(String name) {
      this.name = name;
    }

    public Builder required(String column, DataType type) {
      fields.add(new Field(column, type, true));
      return this;
    }

    public Builder optional(String column, DataType type) {
      fields.add(new Field(column, type, false));
      return this;
    }

    public Builder rule(String code, String reason, Column violated) {
      rules.add(new Rule(code, reason, violated));
      return this;
    }

    /** Keeps the columns the schema does not name, untyped checks aside (attribute tables). */
    public Builder keepOtherColumns() {
      keepOtherColumns = true;
      return this;
    }

    public InputSchema build() {
      return new InputSchema(name, fields, rules, keepOtherColumns, Map.of(),
          TimestampParsing.DEFAULT);
    }
  }
}

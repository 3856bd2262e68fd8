package org.parallax.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** An option that two commands share has one default, and {@code --help} shows it. */
class OptionDefaultsTest {

  /**
   * Names that mean different things in different areas, so their defaults differ by design;
   * within one meaning they still have one default.
   */
  private static final Map<String, String> HOMONYMS = Map.of(
      "--k", "top-k passages, recommendations per user, KSG neighbours, k-means clusters",
      "--format", "the input's format; datagen's is the format it writes",
      "--model", "a trained ContextGNN; rollout's is the policy's model name",
      "--users", "a user table (graph, pipeline); which users to score (score)",
      "--batch-size", "ContextGNN training examples; rollout prompts per generation batch",
      "--scale", "rows datagen writes; the demo's size multiplier",
      "--out", "required everywhere but the demo, which has a default root");

  /** Option name to (default, command) over every command of the CLI. */
  private static Map<String, Map<String, List<String>>> defaults() {
    Map<String, Map<String, List<String>>> out = new TreeMap<>();
    List<CommandLine> todo = new ArrayList<>(List.of(ParallaxCli.commandLine()));
    while (!todo.isEmpty()) {
      CommandLine c = todo.remove(todo.size() - 1);
      todo.addAll(c.getSubcommands().values());
      for (OptionSpec o : c.getCommandSpec().options()) {
        if (o.usageHelp() || o.versionHelp()) {
          continue;
        }
        String def = String.valueOf(o.defaultValue());
        out.computeIfAbsent(o.longestName(), k -> new TreeMap<>())
            .computeIfAbsent(def, k -> new ArrayList<>())
            .add(c.getCommandSpec().qualifiedName());
      }
    }
    return out;
  }

  @Test
  void everySharedOptionHasOneDefault() {
    List<String> conflicts = new ArrayList<>();
    defaults().forEach((name, byDefault) -> {
      if (byDefault.size() > 1 && !HOMONYMS.containsKey(name)) {
        conflicts.add(name + " " + byDefault);
      }
    });
    assertEquals(List.of(), conflicts, "options whose default differs between commands");
  }

  @Test
  void helpShowsTheDefaultOfEveryOptionThatHasOne() {
    List<String> silent = new ArrayList<>();
    List<CommandLine> todo = new ArrayList<>(List.of(ParallaxCli.commandLine()));
    while (!todo.isEmpty()) {
      CommandLine c = todo.remove(todo.size() - 1);
      todo.addAll(c.getSubcommands().values());
      for (OptionSpec o : c.getCommandSpec().options()) {
        String d = o.defaultValue();
        if (d == null || o.usageHelp() || o.versionHelp() || o.arity().max() == 0) {
          continue;
        }
        String help = String.join(" ", o.description());
        if (!help.contains("${DEFAULT-VALUE}") && !help.contains(d)) {
          silent.add(c.getCommandSpec().qualifiedName() + " " + o.longestName() + " (" + d + ")");
        }
      }
    }
    assertTrue(silent.isEmpty(), "--help does not show the default of " + silent);
  }
}

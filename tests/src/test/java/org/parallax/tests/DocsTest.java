package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.parallax.cli.ParallaxCli;

/**
 * The commands the README and {@code docs/} show are commands that work: every
 * {@code submit/run <area> <job> ...} line of their shell blocks parses, with options the job
 * accepts and values it validates (a line commented {@code # exit 2} must be refused instead).
 * The docs' longer examples are also the ones end-to-end tests run; this keeps the rest from rotting.
 */
class DocsTest {
  private static final Path ROOT = Path.of(System.getProperty("parallax.root", ".."));

  @Test
  void everyDocumentedJobCommandParses() throws Exception {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    int checked = 0;
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      for (String command : shellCommands(Files.readAllLines(page))) {
        if (!command.startsWith("submit/run ")) {
          continue;
        }
        boolean refused = command.contains("# exit 2");
        List<String> args = words(command.replaceFirst("\\s*#.*$", "")
            .substring("submit/run ".length()));
        if (args.isEmpty() || List.of("demo", "bench", "help").contains(args.get(0))
            || args.contains("--help") || args.size() < 2) {
          continue;
        }
        if (args.get(0).equals("gpu-plan")) {
          // gpu-plan's own options first, then the job it checks, verbatim.
          int area = 1;
          while (area < args.size() && args.get(area).startsWith("-")) {
            area += 2;
          }
          args = new ArrayList<>(args.subList(Math.min(area, args.size()), args.size()));
          if (!args.contains("--out")) {
            args.addAll(List.of("--out", "plan-check")); // gpu-plan gives the job a scratch --out
          }
        }
        checked++;
        String problem = null;
        try {
          ParallaxCli.check(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
          // Commands that are not single jobs (pipeline, serve) are checked as far as parsing.
          problem = e.getMessage() != null && e.getMessage().endsWith(" is not a job") ? null
              : e.getMessage();
        } catch (RuntimeException e) {
          problem = e.getMessage();
        }
        if (refused == (problem == null)) {
          broken.add(ROOT.relativize(page) + ": " + command + " -> "
              + (problem == null ? "accepted, but documented as refused" : problem));
        }
      }
    }
    assertTrue(checked >= 20, "documented commands found: " + checked);
    assertTrue(broken.isEmpty(), String.join("\n", broken));
  }

  /** The commands of a page's bash blocks, continuation lines joined. */
  static List<String> shellCommands(List<String> lines) {
    List<String> commands = new ArrayList<>();
    boolean inShell = false;
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      if (line.startsWith("```")) {
        inShell = !inShell && (line.equals("```bash") || line.equals("```sh"));
        continue;
      }
      if (!inShell) {
        continue;
      }
      String trimmed = line.strip();
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      commands.add(current.toString().strip());
      current.setLength(0);
    }
    return commands;
  }

  /** Shell words: whitespace-separated, with single and double quotes removed. */
  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    char quote = 0;
    boolean any = false;
    for (char c : command.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        any = true;
      } else if (Character.isWhitespace(c)) {
        if (any || w.length() > 0) {
          words.add(w.toString());
        }
        w.setLength(0);
        any = false;
      } else {
        w.append(c);
      }
    }
    if (any || w.length() > 0) {
      words.add(w.toString());
    }
    return words;
  }
}

package org.parallax.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the plan explanations the RAPIDS accelerator prints with
 * {@code spark.rapids.sql.explain=ALL}: one line per node, indented two spaces per level, starting
 * with a marker ({@code *} will run on the GPU, {@code !} cannot, {@code @} could but its parent
 * does not, {@code #} will not because of a dependent node), then {@code Kind <Name> detail} and
 * the verdict. Operators RAPIDS knows no rule for have no kind ({@code ! <MapElementsExec>}). Pure text processing, no Spark.
 */
public final class ExplainParser {
  private static final Pattern LINE =
      Pattern.compile("^( *)([*!@#$])(\\w*) <([^>]+)>(.*)$");
  private static final String WILL = " will run on GPU";
  private static final String COULD = " could run on GPU";
  private static final String CANNOT = " cannot run on GPU because ";
  private static final String WILL_NOT = " will not run on GPU because ";
  private static final String REMOVED = " but is going to be removed";

  private ExplainParser() {}

  /** The nodes of one explanation, in print order (pre-order); unparsable lines are skipped. */
  public static List<PlanOperator> parse(String explanation) {
    List<PlanOperator> out = new ArrayList<>();
    for (String line : explanation.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      int depth = m.group(1).length() / 2;
      String name = m.group(4);
      // Operators RAPIDS has no rule for at all are printed without a kind.
      String kind = !m.group(3).isEmpty() ? m.group(3) : name.endsWith("Exec") ? "Exec"
          : "Expression";
      String rest = m.group(5);
      boolean onGpu;
      String reason;
      String detail;
      int at;
      if (rest.contains(REMOVED)) {
        // Not a fallback: RAPIDS drops the node (e.g. a sort a hash aggregate makes needless).
        onGpu = true;
        at = rest.indexOf(" could run on GPU");
        reason = "removed from the GPU plan: " + rest.substring(rest.indexOf(REMOVED)
            + " but ".length()).trim();
        detail = at >= 0 ? rest.substring(0, at).trim() : "";
      } else if ((at = rest.indexOf(CANNOT)) >= 0) {
        onGpu = false;
        reason = rest.substring(at + CANNOT.length()).trim();
        detail = rest.substring(0, at).trim();
      } else if ((at = rest.indexOf(WILL_NOT)) >= 0) {
        onGpu = false;
        reason = rest.substring(at + WILL_NOT.length()).trim();
        detail = rest.substring(0, at).trim();
      } else if (rest.endsWith(COULD)) {
        onGpu = false;
        reason = "could run on GPU, but its parent does not";
        detail = rest.substring(0, rest.length() - COULD.length()).trim();
      } else if ((at = rest.indexOf(WILL)) >= 0) {
        // "will run on GPU" may be followed by a note, e.g. a buffer type converted at run time.
        onGpu = true;
        String note = rest.substring(at + WILL.length()).replaceFirst("^[.;:]?\\s*", "");
        reason = note.isEmpty() ? null : note;
        detail = rest.substring(0, at).trim();
      } else {
        onGpu = false;
        reason = rest.trim();
        detail = "";
      }
      out.add(new PlanOperator(name, kind, onGpu, reason, depth, detail.isEmpty() ? null : detail));
    }
    return out;
  }
}

package org.parallax.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExplainParserTest {
  // Abridged from what RAPIDS 25.04 printed for a query with a Java UDF over a join.
  private static final String EXPLAIN = String.join("\n",
      "*Exec <DataWritingCommandExec> will run on GPU",
      "  *Output <InsertIntoHadoopFsRelationCommand> will run on GPU",
      "  *Exec <WriteFilesExec> will run on GPU",
      "    !Exec <ProjectExec> cannot run on GPU because not all expressions can be replaced",
      "      @Expression <AttributeReference> k#2L could run on GPU",
      "      @Expression <Alias> f(id#17L) AS u#23L could run on GPU",
      "        !Expression <ScalaUDF> f(id#17L) cannot run on GPU because neither f implemented "
          + "by class X provides a GPU implementation",
      "      *Exec <BroadcastHashJoinExec> will run on GPU",
      "        *Exec <ObjectHashAggregateExec> will run on GPU. The data type of following "
          + "expressions will be converted in GPU runtime: buf#1443",
      "        !Exec <SortExec> could run on GPU but is going to be removed because replacing "
          + "sort aggregate with hash aggregate",
      "      ! <MapElementsExec> cannot run on GPU because not all expressions can be replaced; GPU "
          + "does not currently support the operator class MapElementsExec",
      "");

  @Test
  void parsesMarkersKindsDepthsAndReasons() {
    List<PlanOperator> ops = ExplainParser.parse(EXPLAIN);
    assertEquals(11, ops.size());
    PlanOperator root = ops.get(0);
    assertEquals("DataWritingCommandExec", root.name());
    assertEquals("Exec", root.kind());
    assertTrue(root.onGpu());
    assertNull(root.reason());
    assertEquals(0, root.depth());

    PlanOperator project = ops.get(3);
    assertEquals("ProjectExec", project.name());
    assertFalse(project.onGpu());
    assertEquals("not all expressions can be replaced", project.reason());
    assertEquals(2, project.depth());

    PlanOperator udf = ops.get(6);
    assertEquals("ScalaUDF", udf.name());
    assertEquals("Expression", udf.kind());
    assertEquals("f(id#17L)", udf.detail());
    assertTrue(udf.reason().startsWith("neither f implemented"));

    assertFalse(ops.get(4).onGpu(), "'could run' under a CPU parent is not on the GPU");
    assertTrue(ops.get(8).onGpu(), "a note after 'will run on GPU' keeps it on the GPU");
    assertTrue(ops.get(8).reason().startsWith("The data type"));
    assertTrue(ops.get(9).onGpu(), "a node RAPIDS removes is no fallback");
    PlanOperator lambda = ops.get(10);
    assertEquals("MapElementsExec", lambda.name());
    assertEquals("Exec", lambda.kind(), "kind inferred when RAPIDS prints none");
    assertFalse(lambda.onGpu());
  }

  @Test
  void reportCountsExecsAndListsFallbacks() {
    GpuPlanReport report = new GpuPlanReport("test", "rapids.jar");
    report.add(EXPLAIN);
    report.add("no plan here");
    assertEquals(1, report.stages.size());
    GpuPlanReport.Stage stage = report.stages.get(0);
    assertEquals(7, stage.execs());
    assertEquals(5, stage.execsOnGpu());
    assertEquals(List.of("ProjectExec", "ScalaUDF", "MapElementsExec"),
        stage.fallbacks().stream().map(PlanOperator::name).toList());
    assertTrue(report.summary().contains("total: 5/7 operators on GPU in 1 stages"),
        report.summary());
  }
}

"""Structural test of parallax_dag.py without Airflow installed.

Stubs the few Airflow names the DAG file imports, loads it, and checks the three DAGs: schedule,
retries, tasks, dependencies and commands (main class, jar, --overwrite, outputs under the run
date). Prints every task's parallax arguments as JSON (one object per line) so the Java test
(OperationsTest) can check that each parses as a parallax command. Run: python3 test_parallax_dag.py
"""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from pathlib import Path

CREATED: list = []


class Task:
    """Records an operator's arguments and its downstream tasks (>> works as in Airflow)."""

    def __init__(self, task_id: str, **kwargs):
        self.task_id = task_id
        self.kwargs = kwargs
        self.downstream: set[str] = set()
        self.upstream: set[str] = set()
        self.kind = type(self).__name__
        DAG.current.tasks[task_id] = self
        CREATED.append(self)

    def __rshift__(self, other: "Task") -> "Task":
        self.downstream.add(other.task_id)
        other.upstream.add(self.task_id)
        return other


class DAG:
    current: "DAG | None" = None

    def __init__(self, dag_id: str, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks: dict[str, Task] = {}

    def __enter__(self) -> "DAG":
        DAG.current = self
        return self

    def __exit__(self, *exc) -> None:
        DAG.current = None


class Variable:
    @staticmethod
    def get(key: str, default_var=None):
        return default_var


def stub(name: str, **attrs) -> None:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module


def operator(name: str) -> type:
    return type(name, (Task,), {})


stub("airflow", DAG=DAG)
stub("airflow.models", Variable=Variable)
for package in ["airflow.providers", "airflow.providers.amazon", "airflow.providers.amazon.aws",
                "airflow.providers.amazon.aws.operators", "airflow.providers.amazon.aws.sensors",
                "airflow.providers.apache", "airflow.providers.apache.spark",
                "airflow.providers.apache.spark.operators", "airflow.providers.google",
                "airflow.providers.google.cloud", "airflow.providers.google.cloud.operators"]:
    stub(package)
stub("airflow.providers.amazon.aws.operators.emr",
     EmrAddStepsOperator=operator("EmrAddStepsOperator"))
stub("airflow.providers.amazon.aws.sensors.emr", EmrStepSensor=operator("EmrStepSensor"))
stub("airflow.providers.apache.spark.operators.spark_submit",
     SparkSubmitOperator=operator("SparkSubmitOperator"))
stub("airflow.providers.google.cloud.operators.dataproc",
     DataprocSubmitJobOperator=operator("DataprocSubmitJobOperator"))

here = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("parallax_dag", here / "parallax_dag.py")
dags = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dags)

EXPECTED_EDGES = {
    ("recsys_graph", "recsys_features"), ("recsys_features", "recsys_train"),
    ("recsys_train", "recsys_score"), ("recsys_train", "recsys_eval"),
    ("retrieval_index", "retrieval_search"), ("retrieval_index", "rollout_eval"),
    ("avinfo_units", "avinfo_stats"),
}
JOB_IDS = {t for edge in EXPECTED_EDGES for t in edge}


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def check_args(task_id: str, args: list[str]) -> None:
    check("--overwrite" in args, f"{task_id}: re-runs must replace their own output")
    out = args[args.index("--out") + 1]
    check("/runs/{{ ds }}/" in out, f"{task_id}: output {out} is not under the run date")


def edges(dag) -> set[tuple[str, str]]:
    return {(a, b) for a, t in dag.tasks.items() for b in t.downstream}


commands = []
spark = dags.parallax_daily
check(spark.kwargs["schedule"] == "@daily" and not spark.kwargs["catchup"], "schedule")
check(spark.kwargs["default_args"]["retries"] >= 1, "retries")
check(set(spark.tasks) == JOB_IDS, f"tasks {sorted(spark.tasks)}")
check(edges(spark) == EXPECTED_EDGES, f"edges {sorted(edges(spark))}")
for task_id, task in spark.tasks.items():
    check(task.kind == "SparkSubmitOperator", task.kind)
    check(task.kwargs["java_class"] == "org.parallax.cli.ParallaxCli", "main class")
    check(task.kwargs["application"].endswith("parallax-spark-jobs-0.1.0-SNAPSHOT-cluster.jar"),
          task.kwargs["application"])
    check_args(task_id, task.kwargs["application_args"])
    commands.append({"dag": spark.dag_id, "task": task_id,
                     "args": task.kwargs["application_args"], "conf": task.kwargs["conf"]})

emr = dags.parallax_daily_emr
check(set(emr.tasks) == JOB_IDS | {t + "_done" for t in JOB_IDS}, f"emr tasks {sorted(emr.tasks)}")
expected_emr = {(t, t + "_done") for t in JOB_IDS} | {(a + "_done", b) for a, b in EXPECTED_EDGES}
check(edges(emr) == expected_emr, f"emr edges {sorted(edges(emr))}")
for task_id in JOB_IDS:
    step = emr.tasks[task_id].kwargs["steps"][0]["HadoopJarStep"]
    check(step["Jar"] == "command-runner.jar", "EMR steps run through command-runner.jar")
    args = step["Args"]
    check(args[:2] == ["spark-submit", "--deploy-mode"], f"{task_id}: {args[:2]}")
    jar_at = next(i for i, a in enumerate(args) if a.endswith("-cluster.jar"))
    check(args[args.index("--class") + 1] == "org.parallax.cli.ParallaxCli", "EMR main class")
    check_args(task_id, args[jar_at + 1:])
    commands.append({"dag": emr.dag_id, "task": task_id, "args": args[jar_at + 1:]})

dataproc = dags.parallax_daily_dataproc
check(set(dataproc.tasks) == JOB_IDS, "dataproc tasks")
check(edges(dataproc) == EXPECTED_EDGES, "dataproc edges")
for task_id, task in dataproc.tasks.items():
    job = task.kwargs["job"]["spark_job"]
    check(job["main_class"] == "org.parallax.cli.ParallaxCli", "Dataproc main class")
    check_args(task_id, job["args"])
    commands.append({"dag": dataproc.dag_id, "task": task_id, "args": job["args"],
                     "conf": job["properties"]})

for c in commands:
    print(json.dumps(c))
print(f"ok: {len(spark.tasks)} jobs in 3 DAGs", file=sys.stderr)

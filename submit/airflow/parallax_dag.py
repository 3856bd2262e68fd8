"""Airflow DAGs that run parallax's three pipelines on a schedule.

``parallax_daily`` submits every job with ``SparkSubmitOperator`` (connection ``spark_default``:
a YARN, Kubernetes or standalone master). ``parallax_daily_emr`` and ``parallax_daily_dataproc``
run the same jobs as EMR steps and Dataproc jobs. Each run writes under ``{{ ds }}`` and passes
``--overwrite``, so a retried or re-run day replaces its own outputs atomically (parallax commits
a job's output with a rename and a ``_SUCCESS`` marker) and never touches another day's.

Settings come from Airflow Variables (with defaults):
  parallax_jar        the cluster jar (parallax-spark-jobs-<version>-cluster.jar), e.g. s3://...
  parallax_root       where inputs live and outputs go, e.g. s3://bucket/parallax
  parallax_emr_cluster, parallax_gcp_project, parallax_gcp_region, parallax_dataproc_cluster
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.providers.amazon.aws.operators.emr import EmrAddStepsOperator
from airflow.providers.amazon.aws.sensors.emr import EmrStepSensor
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.providers.google.cloud.operators.dataproc import DataprocSubmitJobOperator

MAIN_CLASS = "org.parallax.cli.ParallaxCli"
VERSION = "0.1.0-SNAPSHOT"
JAR = Variable.get("parallax_jar",
                   default_var=f"/opt/parallax/parallax-spark-jobs-{VERSION}-cluster.jar")
ROOT = Variable.get("parallax_root", default_var="hdfs:///parallax")
DAY = "{{ ds }}"
RUN = f"{ROOT}/runs/{DAY}"

# conf/cluster.conf, the profile every cluster run uses (kept in step with the file by the test).
SPARK_CONF = {
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
    "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
    "spark.dynamicAllocation.enabled": "true",
    "spark.dynamicAllocation.shuffleTracking.enabled": "true",
    "spark.executorEnv.AI_DJL_OFFLINE": "true",
    "spark.driver.extraJavaOptions": "-Dai.djl.offline=true",
    "spark.executor.extraJavaOptions": "-Dai.djl.offline=true",
}

# The three pipelines: task id -> (parallax arguments, upstream task ids). Inputs are the day's
# partition of each source; every job writes RUN/<area>/<job> and overwrites only that.
JOBS: dict[str, tuple[list[str], list[str]]] = {
    "recsys_graph": ([
        "recsys", "graph", "--interactions", f"{ROOT}/input/interactions/dt={DAY}",
        "--items", f"{ROOT}/input/items", "--window-days", "7", "--train-windows", "20",
        "--out", f"{RUN}/recsys/graph", "--overwrite"], []),
    "recsys_features": ([
        "recsys", "features", "--graph", f"{RUN}/recsys/graph", "--fanout", "32",
        "--out", f"{RUN}/recsys/features", "--overwrite"], ["recsys_graph"]),
    "recsys_train": ([
        "recsys", "train", "--graph", f"{RUN}/recsys/graph", "--features",
        f"{RUN}/recsys/features", "--out", f"{RUN}/recsys/model", "--overwrite"],
        ["recsys_features"]),
    "recsys_score": ([
        "recsys", "score", "--graph", f"{RUN}/recsys/graph", "--model", f"{RUN}/recsys/model",
        "--users", "all", "--verify-sample", "10", "--out", f"{RUN}/recsys/recommendations",
        "--overwrite"], ["recsys_train"]),
    "recsys_eval": ([
        "recsys", "eval", "--graph", f"{RUN}/recsys/graph", "--model", f"{RUN}/recsys/model",
        "--out", f"{RUN}/recsys/eval", "--overwrite"], ["recsys_train"]),
    "retrieval_index": ([
        "retrieval", "index", "--corpus", f"{ROOT}/input/corpus", "--shards", "8",
        "--out", f"{RUN}/retrieval/index", "--overwrite"], []),
    "retrieval_search": ([
        "retrieval", "search", "--index", f"{RUN}/retrieval/index", "--queries",
        f"{ROOT}/input/questions/dt={DAY}", "--k", "10", "--out", f"{RUN}/retrieval/search",
        "--overwrite"], ["retrieval_index"]),
    "rollout_eval": ([
        "rollout", "eval", "--questions", f"{ROOT}/input/questions/dt={DAY}", "--index",
        f"{RUN}/retrieval/index", "--mode", "search-r1", "--policy", "extractive",
        "--out", f"{RUN}/rollout/search-r1", "--overwrite"], ["retrieval_index"]),
    "avinfo_units": ([
        "avinfo", "units", "--features", f"{ROOT}/input/av_features/dt={DAY}",
        "--k", "audio=100,visual=100,text=40", "--rates", "audio=50,visual=25,text=25",
        "--out", f"{RUN}/avinfo/units", "--overwrite"], []),
    "avinfo_stats": ([
        "avinfo", "stats", "--frames", f"{RUN}/avinfo/units/units", "--bootstrap", "200",
        "--out", f"{RUN}/avinfo/stats", "--overwrite"], ["avinfo_units"]),
}

DEFAULT_ARGS = {
    "owner": "parallax",
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=6),
}


def spark_submit_dag() -> DAG:
    """The pipelines with SparkSubmitOperator on any Spark master."""
    with DAG("parallax_daily", start_date=datetime(2026, 1, 1), schedule="@daily",
             catchup=False, max_active_runs=1, default_args=DEFAULT_ARGS,
             tags=["parallax"]) as dag:
        tasks = {
            task_id: SparkSubmitOperator(
                task_id=task_id, application=JAR, java_class=MAIN_CLASS,
                application_args=args, conf=SPARK_CONF, conn_id="spark_default",
                name=f"parallax-{task_id}-{DAY}")
            for task_id, (args, _) in JOBS.items()
        }
        wire(tasks)
    return dag


def emr_dag() -> DAG:
    """The same jobs as EMR steps (command-runner.jar spark-submit), each awaited by a sensor."""
    cluster = Variable.get("parallax_emr_cluster", default_var="j-XXXXXXXXXXXX")
    with DAG("parallax_daily_emr", start_date=datetime(2026, 1, 1), schedule="@daily",
             catchup=False, max_active_runs=1, default_args=DEFAULT_ARGS,
             tags=["parallax", "emr"]) as dag:
        tasks = {}
        for task_id, (args, _) in JOBS.items():
            step = EmrAddStepsOperator(
                task_id=task_id, job_flow_id=cluster, steps=[{
                    "Name": f"parallax {task_id} {DAY}",
                    "ActionOnFailure": "CONTINUE",
                    "HadoopJarStep": {
                        "Jar": "command-runner.jar",
                        "Args": ["spark-submit", "--deploy-mode", "cluster", "--class",
                                 MAIN_CLASS, *conf_args(), JAR, *args],
                    },
                }])
            wait = EmrStepSensor(
                task_id=f"{task_id}_done", job_flow_id=cluster,
                step_id="{{ task_instance.xcom_pull(task_ids='" + task_id
                        + "', key='return_value')[0] }}")
            step >> wait
            tasks[task_id] = (step, wait)
        for task_id, (_, upstream) in JOBS.items():
            for u in upstream:
                tasks[u][1] >> tasks[task_id][0]
    return dag


def dataproc_dag() -> DAG:
    """The same jobs as Dataproc Spark jobs on an existing cluster."""
    project = Variable.get("parallax_gcp_project", default_var="my-project")
    region = Variable.get("parallax_gcp_region", default_var="europe-west1")
    cluster = Variable.get("parallax_dataproc_cluster", default_var="parallax")
    with DAG("parallax_daily_dataproc", start_date=datetime(2026, 1, 1), schedule="@daily",
             catchup=False, max_active_runs=1, default_args=DEFAULT_ARGS,
             tags=["parallax", "dataproc"]) as dag:
        tasks = {
            task_id: DataprocSubmitJobOperator(
                task_id=task_id, project_id=project, region=region, job={
                    "reference": {"project_id": project},
                    "placement": {"cluster_name": cluster},
                    "spark_job": {"main_class": MAIN_CLASS, "jar_file_uris": [JAR],
                                  "args": args, "properties": SPARK_CONF},
                })
            for task_id, (args, _) in JOBS.items()
        }
        wire(tasks)
    return dag


def conf_args() -> list[str]:
    out: list[str] = []
    for key, value in SPARK_CONF.items():
        out += ["--conf", f"{key}={value}"]
    return out


def wire(tasks: dict) -> None:
    for task_id, (_, upstream) in JOBS.items():
        for u in upstream:
            tasks[u] >> tasks[task_id]


parallax_daily = spark_submit_dag()
parallax_daily_emr = emr_dag()
parallax_daily_dataproc = dataproc_dag()

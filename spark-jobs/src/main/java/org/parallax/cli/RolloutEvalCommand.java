package org.parallax.cli;

import org.parallax.common.Job;
import org.parallax.rollout.ChatTemplate;
import org.parallax.rollout.PolicySpec;
import org.parallax.rollout.RolloutJob;
import org.parallax.rollout.RolloutOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rollout eval}: rollouts of every question against a sharded index, scored. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Run Search-R1 rollouts of every question (direct, rag or search-r1) against a "
        + "sharded index and report exact match, F1 and search statistics per data_source.")
public final class RolloutEvalCommand extends JobCommand<RolloutOptions> {
  @Mixin CommonOptionsMixin common;

  @Option(names = "--questions", required = true, paramLabel = "PATH",
      description = "QA rows: id, question, golden_answers, data_source (JSONL or Parquet).")
  String questions;

  @Option(names = "--format", paramLabel = "FMT", description = "parquet, jsonl or csv "
      + "(default: from the extension or the folder's data files, else parquet).")
  String format;

  @Option(names = "--index", paramLabel = "DIR", description = "Output of `retrieval index` "
      + "(rag and search-r1 modes).")
  String index;

  @Option(names = "--mode", defaultValue = "search-r1", paramLabel = "MODE",
      description = "direct, rag or search-r1 (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--policy", defaultValue = "extractive", paramLabel = "P",
      description = "extractive, openai or djl (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "OpenAI-compatible server for --policy openai, e.g. http://host:8000.")
  String endpoint;

  @Option(names = "--model", defaultValue = "search-r1", paramLabel = "NAME",
      description = "Model name sent to the endpoint (openai), or the model directory with "
          + "tokenizer.json and model.pt (djl) (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--max-turns", defaultValue = "4", paramLabel = "N",
      description = "Turns that may search, before a final turn that may not "
          + "(default: ${DEFAULT-VALUE}).")
  int maxTurns;

  @Option(names = "--max-turn-tokens", defaultValue = "500", paramLabel = "N",
      description = "Tokens generated per turn (default: ${DEFAULT-VALUE}).")
  int maxTurnTokens;

  @Option(names = "--topk", defaultValue = "3", paramLabel = "K",
      description = "Passages per search (default: ${DEFAULT-VALUE}).")
  int topk;

  @Option(names = "--context-tokens", defaultValue = "4096", paramLabel = "N",
      description = "Context cap in approximate tokens (default: ${DEFAULT-VALUE}).")
  int contextTokens;

  @Option(names = "--chat-template", paramLabel = "T",
      description = "Chat template around the first prompt, as Search-R1 applies the model's "
          + "own: none, qwen2.5 (<|im_start|>system ... <|im_start|>user\\n{prompt}<|im_end|>"
          + "\\n<|im_start|>assistant\\n), a template with {prompt} where the prompt goes, or a "
          + "file holding one (default: qwen2.5 with --policy openai, none otherwise).")
  String chatTemplate;

  @Option(names = "--info-tokens", defaultValue = "" + RolloutOptions.DEFAULT_INFO_TOKENS,
      paramLabel = "N", description = "Each <information> block is cut to its first N tokens, "
          + "as the reference's max_obs_length: tokens of the policy's tokenizer (djl, or "
          + "--tokenizer), else a word-piece approximation (default: ${DEFAULT-VALUE}).")
  int infoTokens;

  @Option(names = "--tokenizer", paramLabel = "FILE",
      description = "tokenizer.json of the served model (openai), a local path on every "
          + "executor, to count information tokens exactly.")
  String tokenizer;

  @Option(names = "--resume", description = "Continue from the last completed turn.")
  boolean resume;

  @Option(names = "--concurrency", defaultValue = "8", paramLabel = "N",
      description = "Requests in flight per executor (openai; default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--retries", defaultValue = "5", paramLabel = "N",
      description = "Retries of a failed request (openai; default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(names = "--timeout-s", defaultValue = "120", paramLabel = "S",
      description = "Request timeout in seconds (openai; default: ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Option(names = "--batch-size", defaultValue = "16", paramLabel = "N",
      description = "Prompts per generation batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--local-dir", paramLabel = "DIR",
      description = "Executor-local directory for shard copies (default: SPARK_LOCAL_DIRS or tmp).")
  String localDir;

  @Mixin RetrieverMixin retrievers;

  @Override
  protected Job<RolloutOptions> job() {
    return new RolloutJob();
  }

  @Override
  protected RolloutOptions options() {
    return new RolloutOptions(common.toOptions(), questions, format, index, mode,
        new PolicySpec(policy, endpoint, model, maxTurnTokens, concurrency, retries,
            timeoutSeconds, batchSize, tokenizer),
        maxTurns, topk, contextTokens, infoTokens, ChatTemplate.resolve(chatTemplate, policy),
        resume, localDir, retrievers.toChoice());
  }
}

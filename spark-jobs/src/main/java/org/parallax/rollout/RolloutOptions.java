package org.parallax.rollout;

import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;
import org.parallax.common.InputFormat;
import org.parallax.retrieval.RetrieverChoice;

/**
 * Options of {@code rollout eval}.
 *
 * @param common output, overwrite, seed, bad-row tolerance
 * @param questions QA rows: {@code id, question, golden_answers, data_source} (JSONL or Parquet)
 * @param format their format, or null to take it from the extension
 * @param index output of {@code retrieval index} (needed by the rag and search-r1 modes)
 * @param mode {@code direct}, {@code rag} or {@code search-r1}
 * @param policy how turns are generated
 * @param maxTurns turns that may search before the final turn, which may not
 * @param topk passages per search
 * @param contextTokens context cap (prompt and response), in approximate tokens
 * @param infoTokens tokens each information block is cut to (the reference's max_obs_length)
 * @param chatTemplate a chat template with {@code {prompt}}, or null for the bare prompt
 *     ({@link org.parallax.rollout.ChatTemplate#resolve} turns the option into one)
 * @param resume continue from the last completed turn's checkpoint
 * @param localDir executor-local directory for shard copies, or null
 * @param retriever how searches rank passages: bm25, e5 or hybrid
 */
public record RolloutOptions(CommonOptions common, String questions, String format, String index,
    String mode, PolicySpec policy, int maxTurns, int topk, int contextTokens, int infoTokens,
    String chatTemplate, boolean resume, String localDir, RetrieverChoice retriever)
    implements JobOptions {
  /** The reference's max_obs_length: tokens of an information block at most. */
  public static final int DEFAULT_INFO_TOKENS = 500;

  /** Options that search with BM25. */
  public RolloutOptions(CommonOptions common, String questions, String format, String index,
      String mode, PolicySpec policy, int maxTurns, int topk, int contextTokens, int infoTokens,
      String chatTemplate, boolean resume, String localDir) {
    this(common, questions, format, index, mode, policy, maxTurns, topk, contextTokens,
        infoTokens, chatTemplate, resume, localDir, RetrieverChoice.BM25);
  }

  public RolloutOptions {
    if (!mode.equals("direct") && !mode.equals("rag") && !mode.equals("search-r1")) {
      throw new IllegalArgumentException("--mode must be direct, rag or search-r1, got " + mode);
    }
    if (!mode.equals("direct") && (index == null || index.isBlank())) {
      throw new IllegalArgumentException("--mode " + mode + " needs --index DIR");
    }
    Check.atLeast("--max-turns", maxTurns, 0);
    Check.atLeast("--topk", topk, 1);
    Check.atLeast("--context-tokens", contextTokens, 1);
    Check.atLeast("--info-tokens", infoTokens, 1);
    if (chatTemplate != null && !chatTemplate.contains(ChatTemplate.PLACEHOLDER)) {
      throw new IllegalArgumentException("--chat-template needs {prompt} where the prompt goes");
    }
    InputFormat.checkOption(format);
  }

  /** How information blocks are cut: {@code infoTokens} of the policy's tokenizer, if any. */
  public ObservationCap informationCap() {
    return new ObservationCap(infoTokens, policy.tokenizerPath());
  }

  /** The turns a trajectory can take: the searching turns and the final one. */
  public int turns() {
    return mode.equals("search-r1") ? maxTurns + 1 : 1;
  }
}

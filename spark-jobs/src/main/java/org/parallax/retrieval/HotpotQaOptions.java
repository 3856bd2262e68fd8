package org.parallax.retrieval;

import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;

/**
 * Options of {@code retrieval import-hotpotqa}.
 *
 * @param common output, overwrite, seed, bad-row tolerance
 * @param input a HotpotQA JSON file (a list of questions with {@code context} paragraphs)
 */
public record HotpotQaOptions(CommonOptions common, String input) implements JobOptions {}

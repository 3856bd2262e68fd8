package org.parallax.retrieval;

import java.util.Map;

/**
 * What one shard-build task did: the shard it built, and the input rows it saw, set aside as
 * malformed (by reason code) or as duplicate ids, and its dense shard (null without one).
 */
public record ShardBuildReport(IndexManifest.Shard shard, long inputRows, long malformed,
    Map<String, Long> malformedReasons, long duplicateIds, IndexManifest.DenseShard dense) {}

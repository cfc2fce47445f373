using DistributedSync.Bson;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Sync;

/// <summary>
/// Plans the rollback of a node whose oplog has entries its new source does not have (typically
/// a deposed master coming back). The common point is the highest position present in both
/// oplogs with the same term; by construction (entries of one term are written by one master,
/// in order) both histories agree up to it. Everything the node holds after it is divergent:
/// it is saved to the <c>rollback</c> collection, every document it touched is restored from the
/// source (or deleted when the source does not have it), and the node's oplog is truncated to
/// the common point. When the retained oplogs share no entry, the planner asks for a full
/// resync instead.
/// </summary>
public static class RollbackPlanner
{
    /// <summary>
    /// Finds the common point of <paramref name="local"/> (the node's retained oplog, ascending)
    /// and <paramref name="source"/> (the source's retained entries from at least the node's
    /// oldest index on, ascending).
    /// </summary>
    /// <param name="local">The rolling-back node's entries, ascending.</param>
    /// <param name="source">The source's entries, ascending.</param>
    /// <param name="analysis">The common point, the divergent entries and the documents they touched.</param>
    /// <returns>False when there is no common point: the node needs a full resync.</returns>
    public static bool TryAnalyze(IReadOnlyList<OplogEntry> local, IReadOnlyList<OplogEntry> source, out RollbackAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(source);
        var sourceOldest = source.Count == 0 ? long.MaxValue : source[0].Position.Index;
        for (var i = local.Count - 1; i >= 0; i--)
        {
            var position = local[i].Position;
            if (position.Index < sourceOldest)
            {
                break;
            }

            var j = OplogSearch.FindIndex(source, position.Index);
            if (j >= 0 && source[j].Position.Term == position.Term)
            {
                analysis = Build(position, local, i + 1);
                return true;
            }
        }

        // No shared entry. The empty history is still a common point when both sides hold their
        // whole history (nothing capped away): then every local entry is divergent.
        var localWhole = local.Count == 0 || local[0].Position.Index == 1;
        var sourceWhole = source.Count == 0 || source[0].Position.Index == 1;
        if (localWhole && sourceWhole)
        {
            analysis = Build(OpPosition.Zero, local, 0);
            return true;
        }

        analysis = null!;
        return false;
    }

    private static RollbackAnalysis Build(OpPosition commonPoint, IReadOnlyList<OplogEntry> local, int firstDivergent)
    {
        var divergent = new List<OplogEntry>(local.Count - firstDivergent);
        var touched = new List<DocumentKey>();
        var seen = new HashSet<DocumentKey>();
        for (var k = firstDivergent; k < local.Count; k++)
        {
            var entry = local[k];
            divergent.Add(entry);
            if (entry.Key is { } key && seen.Add(key))
            {
                touched.Add(key);
            }
        }

        return new RollbackAnalysis(commonPoint, divergent, touched);
    }
}

/// <summary>The first half of a rollback plan: what diverged. Fetch <see cref="TouchedDocuments"/> from the source, then call <see cref="ToPlan"/>.</summary>
/// <param name="CommonPoint">The highest position both histories share (<see cref="OpPosition.Zero"/>: the empty history).</param>
/// <param name="Divergent">The node's entries after the common point, ascending.</param>
/// <param name="TouchedDocuments">Every document the divergent entries touched, each once.</param>
public sealed record RollbackAnalysis(OpPosition CommonPoint, IReadOnlyList<OplogEntry> Divergent, IReadOnlyList<DocumentKey> TouchedDocuments)
{
    /// <summary>
    /// Completes the plan with the source's current version of each touched document
    /// (<paramref name="sourceDocuments"/> holds those the source has; absent keys are deleted).
    /// </summary>
    public RollbackPlan ToPlan(IReadOnlyDictionary<DocumentKey, BsonDocument> sourceDocuments)
    {
        ArgumentNullException.ThrowIfNull(sourceDocuments);
        var restore = new List<UpsertDocument>();
        var delete = new List<DocumentKey>();
        foreach (var key in TouchedDocuments)
        {
            if (sourceDocuments.TryGetValue(key, out var doc))
            {
                restore.Add(new UpsertDocument(key, doc));
            }
            else
            {
                delete.Add(key);
            }
        }

        return new RollbackPlan(CommonPoint, Divergent, restore, delete);
    }
}

/// <summary>
/// A complete rollback. Steps, in this order so that a crash at any point is redone safely by
/// planning again: mark the node <c>rollback</c>; save <see cref="SaveToRollback"/> (by entry
/// position, so saving twice is harmless); apply <see cref="Restore"/> and <see cref="Delete"/>;
/// set applied = <see cref="AppliedAfter"/> and minValid = the source's last position read after
/// fetching the documents; truncate the oplog after <see cref="TruncateAfter"/>; set state
/// <c>recovering</c>; then follow the source.
/// </summary>
/// <param name="TruncateAfter">The common point: entries after it are removed.</param>
/// <param name="SaveToRollback">The divergent entries, to keep in the <c>rollback</c> collection.</param>
/// <param name="Restore">Documents to replace by the source's version.</param>
/// <param name="Delete">Documents the source does not have.</param>
public sealed record RollbackPlan(OpPosition TruncateAfter, IReadOnlyList<OplogEntry> SaveToRollback, IReadOnlyList<UpsertDocument> Restore, IReadOnlyList<DocumentKey> Delete)
{
    /// <summary>
    /// The node's applied position after the rollback: the common point, unless the node had not
    /// even applied that far (entries up to the common point were appended but not yet applied
    /// when it was interrupted); then its applied position stays and those entries are re-applied
    /// from its own oplog before it follows the source.
    /// </summary>
    public OpPosition AppliedAfter(OpPosition currentApplied)
        => currentApplied.Index < TruncateAfter.Index ? currentApplied : TruncateAfter;
}

using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Sync;

/// <summary>
/// What a source node answers when a follower at position P asks to continue: its oldest and
/// newest retained positions and the term of its entry at P's index, if it has one.
/// </summary>
/// <param name="Oldest">The source's oldest retained entry; null when its oplog is empty.</param>
/// <param name="Last">The source's newest entry; null when its oplog is empty.</param>
/// <param name="TermAtIndex">The term of the source's entry at the follower's index; null when the source has no entry there.</param>
public sealed record OplogProbe(OpPosition? Oldest, OpPosition? Last, long? TermAtIndex)
{
    /// <summary>Builds the probe from a source's retained entries (ascending), for a follower at <paramref name="followerLast"/>.</summary>
    public static OplogProbe FromEntries(IReadOnlyList<OplogEntry> sourceEntries, OpPosition followerLast)
    {
        ArgumentNullException.ThrowIfNull(sourceEntries);
        if (sourceEntries.Count == 0)
        {
            return new OplogProbe(null, null, null);
        }

        long? term = null;
        var found = OplogSearch.FindIndex(sourceEntries, followerLast.Index);
        if (found >= 0)
        {
            term = sourceEntries[found].Position.Term;
        }

        return new OplogProbe(sourceEntries[0].Position, sourceEntries[^1].Position, term);
    }
}

using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;
using DistributedSync.Replication.Sync;

namespace DistributedSync.Replication.Tests.Sync;

public sealed class SyncPlannerTests
{
    private static readonly DateTimeOffset Wall = DateTimeOffset.UnixEpoch;

    private static List<OplogEntry> Log(params (long T, long I)[] positions)
        => [.. positions.Select(p => OplogEntry.Noop(new OpPosition(p.T, p.I), Wall))];

    [Fact]
    public void A_follower_on_the_source_history_continues()
    {
        var source = Log((1, 5), (1, 6), (2, 7));
        Assert.Equal(SyncAction.Continue, SyncPlanner.Decide(ReplicationState.Consistent, new(1, 6), OplogProbe.FromEntries(source, new(1, 6))));
        Assert.Equal(SyncAction.Continue, SyncPlanner.Decide(ReplicationState.Recovering, new(2, 7), OplogProbe.FromEntries(source, new(2, 7))));
    }

    [Fact]
    public void A_follower_older_than_the_oldest_retained_entry_resyncs()
    {
        var source = Log((1, 5), (1, 6));
        Assert.Equal(SyncAction.Resync, SyncPlanner.Decide(ReplicationState.Consistent, new(1, 3), OplogProbe.FromEntries(source, new(1, 3))));
    }

    [Fact]
    public void The_same_index_with_another_term_or_a_follower_past_the_source_end_is_a_divergence()
    {
        var source = Log((1, 5), (2, 6), (2, 7));
        Assert.Equal(SyncAction.Rollback, SyncPlanner.Decide(ReplicationState.Consistent, new(1, 6), OplogProbe.FromEntries(source, new(1, 6))));
        Assert.Equal(SyncAction.Rollback, SyncPlanner.Decide(ReplicationState.Consistent, new(2, 9), OplogProbe.FromEntries(source, new(2, 9))));
        Assert.Equal(SyncAction.Resync, SyncPlanner.Decide(ReplicationState.Recovering, new(1, 6), OplogProbe.FromEntries(source, new(1, 6))));
    }

    [Fact]
    public void An_empty_follower_continues_only_if_the_source_kept_its_whole_history()
    {
        Assert.Equal(SyncAction.Continue, SyncPlanner.Decide(ReplicationState.Consistent, OpPosition.Zero, OplogProbe.FromEntries(Log((1, 1), (1, 2)), OpPosition.Zero)));
        Assert.Equal(SyncAction.Continue, SyncPlanner.Decide(ReplicationState.Consistent, OpPosition.Zero, OplogProbe.FromEntries([], OpPosition.Zero)));
        Assert.Equal(SyncAction.Resync, SyncPlanner.Decide(ReplicationState.Consistent, OpPosition.Zero, OplogProbe.FromEntries(Log((1, 2), (1, 3)), OpPosition.Zero)));
    }

    [Fact]
    public void An_unfinished_rollback_or_resync_is_redone()
    {
        var source = Log((1, 5));
        Assert.Equal(SyncAction.Rollback, SyncPlanner.Decide(ReplicationState.RollingBack, new(1, 5), OplogProbe.FromEntries(source, new(1, 5))));
        Assert.Equal(SyncAction.Resync, SyncPlanner.Decide(ReplicationState.Resyncing, new(1, 5), OplogProbe.FromEntries(source, new(1, 5))));
    }

    [Fact]
    public void The_probe_describes_the_source_for_the_follower_position()
    {
        var probe = OplogProbe.FromEntries(Log((1, 5), (2, 6), (3, 8)), new(1, 6));
        Assert.Equal(new OplogProbe(new(1, 5), new(3, 8), 2), probe);
        Assert.Null(OplogProbe.FromEntries(Log((1, 5), (3, 8)), new(1, 7)).TermAtIndex);
    }

    [Fact]
    public void Recovery_ends_on_the_same_history_and_demands_a_resync_on_another()
    {
        Assert.Equal(RecoveryStatus.StillRecovering, SyncPlanner.CheckRecovery(new(3, 10), new(3, 9), null));
        Assert.Equal(RecoveryStatus.Consistent, SyncPlanner.CheckRecovery(new(3, 10), new(4, 12), 3));
        Assert.Equal(RecoveryStatus.MustResync, SyncPlanner.CheckRecovery(new(3, 10), new(4, 12), 4));
        Assert.Equal(RecoveryStatus.Consistent, SyncPlanner.CheckRecovery(OpPosition.Zero, OpPosition.Zero, null));
    }

    [Fact]
    public void A_minValid_that_the_source_can_never_hold_demands_a_resync()
    {
        // The source moved on to term 5 at index 8: index 10 of term 3 will never exist on it.
        Assert.Equal(RecoveryStatus.MustResync, SyncPlanner.CheckRecovery(new(3, 10), new(5, 8), null, new(5, 8)));
        // Same term still writing: it may get there.
        Assert.Equal(RecoveryStatus.StillRecovering, SyncPlanner.CheckRecovery(new(3, 10), new(3, 8), null, new(3, 8)));
        Assert.Equal(RecoveryStatus.StillRecovering, SyncPlanner.CheckRecovery(new(3, 10), new(3, 8), null));
    }

    [Fact]
    public void Binary_search_finds_entries_by_index()
    {
        var log = Log((1, 2), (1, 4), (2, 6));
        Assert.Equal(1, OplogSearch.FindIndex(log, 4));
        Assert.Equal(-1, OplogSearch.FindIndex(log, 5));
        Assert.Equal(2, OplogSearch.FirstAfter(log, 4));
        Assert.Equal(0, OplogSearch.FirstAfter(log, 0));
        Assert.Equal(3, OplogSearch.FirstAfter(log, 6));
    }
}

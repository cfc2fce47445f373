using DistributedSync.Replication.Cluster;
using DistributedSync.Replication.Oplog;
using DistributedSync.Replication.Tests.Support;

namespace DistributedSync.Replication.Tests.Cluster;

public sealed class WriteTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Writes_arriving_during_a_batch_form_the_next_batch_up_to_the_batch_size()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        var first = Assert.Single(h.Feed(new WriteRequested(1, WriteConcern.Master(Second))).OfType<AppendBatch>());
        Assert.Equal([1L], first.RequestIds);
        Assert.Equal(new OpPosition(term, 1), first.ExpectedLast);
        for (var id = 2; id <= 6; id++)
        {
            Assert.Empty(h.Feed(new WriteRequested(id, WriteConcern.Master(Second))).OfType<AppendBatch>());
        }

        var commands = h.Feed(new BatchCompleted(3, term, first.BatchId, [new WriteResult(1, new(term, 2))], new(term, 2)));
        var second = Assert.Single(commands.OfType<AppendBatch>());
        Assert.Equal([2L, 3L, 4L], second.RequestIds);
        Assert.Equal(new OpPosition(term, 2), second.ExpectedLast);
    }

    [Fact]
    public void A_w1_write_is_acknowledged_when_the_master_has_it_and_a_majority_write_when_a_slave_has_applied_it()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        var batch = h.Feed(new WriteRequested(1, WriteConcern.Master(Second))).OfType<AppendBatch>().Single();
        h.Feed(new WriteRequested(2, WriteConcern.MajorityOf(Second)));
        var done = h.Feed(new BatchCompleted(3, term, batch.BatchId, [new WriteResult(1, new(term, 2))], new(term, 2)));
        var ack = Assert.Single(done.OfType<AcknowledgeWrites>());
        Assert.False(ack.Majority);
        Assert.Equal([1L], ack.Writes.Select(w => w.RequestId));

        var next = h.All.OfType<AppendBatch>().Last();
        Assert.Empty(h.Feed(new BatchCompleted(3, term, next.BatchId, [new WriteResult(2, new(term, 3))], new(term, 3))).OfType<AcknowledgeWrites>());
        Assert.Empty(h.Progress(1, new(term, 2)).OfType<AcknowledgeWrites>());
        var majority = Assert.Single(h.Progress(2, new(term, 3)).OfType<AcknowledgeWrites>());
        Assert.True(majority.Majority);
        Assert.Equal(new OpPosition(term, 3), majority.UpTo);
        Assert.Equal(new OpPosition(term, 3), h.View.CommitPoint);
    }

    [Fact]
    public void Majority_writes_already_applied_by_a_majority_are_acknowledged_when_their_batch_completes()
    {
        // Both slaves tail the master's oplog, which is written before the batch is answered: their
        // progress past the batch can reach the decider before the master's BatchCompleted does.
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        var batch = h.Feed(new WriteRequested(1, WriteConcern.MajorityOf(Second))).OfType<AppendBatch>().Single();
        Assert.Empty(h.Progress(1, new(term, 2)).OfType<AcknowledgeWrites>());
        Assert.Empty(h.Progress(2, new(term, 2)).OfType<AcknowledgeWrites>());
        Assert.Equal(new OpPosition(term, 2), h.View.CommitPoint);

        var done = h.Feed(new BatchCompleted(3, term, batch.BatchId, [new WriteResult(1, new(term, 2))], new(term, 2)));

        var ack = Assert.Single(done.OfType<AcknowledgeWrites>());
        Assert.True(ack.Majority);
        Assert.Equal([1L], ack.Writes.Select(w => w.RequestId));
        Assert.Empty(h.View.Writes);
    }

    [Fact]
    public void The_commit_point_is_the_majority_th_highest_applied_position()
    {
        var h = new DeciderHarness(5);
        var term = h.ElectHighest();
        var batch = h.Feed(new WriteRequested(1, WriteConcern.MajorityOf(Second))).OfType<AppendBatch>().Single();
        h.Feed(new BatchCompleted(5, term, batch.BatchId, [new WriteResult(1, new(term, 9))], new(term, 9)));
        h.Progress(1, new(term, 9));
        Assert.Equal(OpPosition.Zero, h.View.CommitPoint);
        h.Progress(2, new(term, 4));
        Assert.Equal(new OpPosition(term, 4), h.View.CommitPoint);
        Assert.Single(h.Progress(3, new(term, 9)).OfType<AcknowledgeWrites>());
        Assert.Equal(new OpPosition(term, 9), h.View.CommitPoint);
    }

    [Fact]
    public void A_position_of_an_older_term_never_becomes_the_commit_point()
    {
        var h = new DeciderHarness();
        h.SetStatus(1, 2, new(2, 9));
        h.SetStatus(2, 2, new(2, 9));
        h.SetStatus(3, 2, new(2, 9));
        var term = h.ElectHighest();
        h.Progress(1, new(2, 9)); // the slave holds the old term's entries, not yet the new noop
        Assert.Equal(OpPosition.Zero, h.View.CommitPoint);
        h.Progress(1, new(term, 10));
        Assert.Equal(new OpPosition(term, 10), h.View.CommitPoint);
    }

    [Fact]
    public void Wtimeout_fails_a_queued_write_as_not_applied_and_a_sent_one_as_may_still_be_applied()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        var batch = h.Feed(new WriteRequested(1, WriteConcern.MajorityOf(TimeSpan.FromMilliseconds(300)))).OfType<AppendBatch>().Single();
        h.Feed(new WriteRequested(2, WriteConcern.Master(TimeSpan.FromMilliseconds(300))));
        h.Feed(new BatchCompleted(3, term, batch.BatchId, [new WriteResult(1, new(term, 2))], new(term, 2)));
        var next = h.All.OfType<AppendBatch>().Last();
        Assert.Equal([2L], next.RequestIds);
        h.Feed(new WriteRequested(3, WriteConcern.Master(TimeSpan.FromMilliseconds(300))));

        h.Answer(1, 2, 3);
        var fails = h.Tick(300).OfType<FailWrites>().ToList();
        var maybe = Assert.Single(fails, f => f.MayHaveBeenApplied);
        Assert.Equal(WriteFailureReason.WriteConcernTimeout, maybe.Reason);
        Assert.Equal([1L, 2L], maybe.RequestIds.Order());
        var never = Assert.Single(fails, f => !f.MayHaveBeenApplied);
        Assert.Equal([3L], never.RequestIds);
        Assert.Empty(h.View.Writes);
    }

    [Fact]
    public void A_failed_batch_fails_its_writes_as_may_still_be_applied_and_promotes_the_master_again()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        var batch = h.Feed(new WriteRequested(1, WriteConcern.Master(Second))).OfType<AppendBatch>().Single();
        var commands = h.Feed(new BatchFailed(3, term, batch.BatchId, null));
        var fail = Assert.Single(commands.OfType<FailWrites>());
        Assert.True(fail.MayHaveBeenApplied);
        Assert.Equal(WriteFailureReason.Interrupted, fail.Reason);
        Assert.Contains(new PromoteNode(3, term), commands);
    }

    [Fact]
    public void A_batch_fenced_by_a_newer_stored_term_fails_as_deposed_and_the_master_steps_down()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        var batch = h.Feed(new WriteRequested(1, WriteConcern.MajorityOf(Second))).OfType<AppendBatch>().Single();
        h.Feed(new WriteRequested(2, WriteConcern.Master(Second)));

        var commands = h.Feed(new BatchFailed(3, term, batch.BatchId, term + 1));

        var deposed = Assert.Single(commands.OfType<FailWrites>(), f => f.Reason == WriteFailureReason.Deposed);
        Assert.Equal([1L], deposed.RequestIds);
        Assert.True(deposed.MayHaveBeenApplied);
        Assert.Contains(new DemoteNode(3, term, DemotionReason.HigherTerm), commands);
        Assert.DoesNotContain(commands, c => c is AcknowledgeWrites or PromoteNode);
        Assert.Null(h.View.MasterId);
        Assert.True(h.View.HighestTerm > term);
    }

    [Fact]
    public void A_late_answer_for_an_abandoned_batch_changes_nothing()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        var batch = h.Feed(new WriteRequested(1, WriteConcern.Master(Second))).OfType<AppendBatch>().Single();
        h.Feed(new BatchFailed(3, term, batch.BatchId, null));
        var late = h.Feed(new BatchCompleted(3, term, batch.BatchId, [new WriteResult(1, new(term, 2))], new(term, 2)));
        Assert.Empty(late.OfType<AcknowledgeWrites>());
    }

    [Fact]
    public void Writes_waiting_for_the_majority_survive_a_failover_only_when_the_new_master_provably_has_them()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        var b1 = h.Feed(new WriteRequested(1, WriteConcern.MajorityOf(TimeSpan.FromSeconds(10)))).OfType<AppendBatch>().Single();
        h.Feed(new WriteRequested(2, WriteConcern.MajorityOf(TimeSpan.FromSeconds(10))));
        h.Feed(new BatchCompleted(3, term, b1.BatchId, [new WriteResult(1, new(term, 2))], new(term, 2)));
        var b2 = h.All.OfType<AppendBatch>().Last();
        h.Feed(new BatchCompleted(3, term, b2.BatchId, [new WriteResult(2, new(term, 3))], new(term, 3)));

        // Node 3 dies; node 2 holds the first write only.
        h.SetStatus(1, term, new(term, 1));
        h.SetStatus(2, term, new(term, 2));
        for (var i = 0; i < 6; i++)
        {
            h.Tick(100);
            h.Answer(1, 2);
        }

        Assert.Contains(h.All, c => c is DemoteNode { NodeId: 3, Reason: DemotionReason.MasterUnreachable });
        var el = Assert.IsType<ElectingPhase>(h.View.Phase);
        Assert.Equal(2, el.CandidateId);
        h.AckTerm(2, 1);
        var promoted = h.CompletePromotion();
        var lost = Assert.Single(promoted.OfType<FailWrites>());
        Assert.Equal([2L], lost.RequestIds);
        Assert.True(lost.MayHaveBeenApplied);
        Assert.Single(h.View.Writes, w => w.RequestId == 1);

        var ack = Assert.Single(h.Progress(1, new(el.Term, 3)).OfType<AcknowledgeWrites>());
        Assert.Equal([1L], ack.Writes.Select(w => w.RequestId));
    }

    [Fact]
    public void Queued_writes_fail_with_no_master_when_the_majority_is_lost()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        var batch = h.Feed(new WriteRequested(1, WriteConcern.Master(TimeSpan.FromSeconds(10)))).OfType<AppendBatch>().Single();
        h.Feed(new WriteRequested(2, WriteConcern.Master(TimeSpan.FromSeconds(10))));
        for (var i = 0; i < 6; i++)
        {
            h.Tick(100);
            h.Answer(3);
        }

        Assert.Contains(new DemoteNode(3, term, DemotionReason.NoMajority), h.All);
        var fails = h.All.OfType<FailWrites>().ToList();
        Assert.Contains(fails, f => f.RequestIds.SequenceEqual([batch.RequestIds[0]]) && f.MayHaveBeenApplied && f.Reason == WriteFailureReason.Interrupted);
        Assert.Contains(fails, f => f.RequestIds.SequenceEqual([2L]) && !f.MayHaveBeenApplied && f.Reason == WriteFailureReason.NoMaster);
        Assert.IsType<NoMasterPhase>(h.View.Phase);
    }

    [Fact]
    public void A_master_that_sees_a_higher_term_stops_writing_at_once()
    {
        var h = new DeciderHarness();
        var term = h.ElectHighest();
        h.Feed(new WriteRequested(1, WriteConcern.Master(Second)));
        h.SetStatus(1, term + 3, new(term, 1));
        var commands = h.Answer(1);
        Assert.Equal(new DemoteNode(3, term, DemotionReason.HigherTerm), commands.OfType<DemoteNode>().First());
        Assert.Contains(commands, c => c is StopTailing);
        Assert.Contains(commands, c => c is FailWrites { MayHaveBeenApplied: true, Reason: WriteFailureReason.Deposed });
        Assert.Null(h.View.MasterId);
    }
}

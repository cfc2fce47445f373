using DistributedSync.Bson;
using DistributedSync.Replication.Oplog;
using DistributedSync.Replication.Sync;
using FsCheck;
using FsCheck.Fluent;

namespace DistributedSync.Replication.Tests.Sync;

public sealed class RollbackPlannerTests
{
    private static readonly DateTimeOffset Wall = DateTimeOffset.UnixEpoch;

    private static OplogEntry Set(long t, long i, int key) => OplogEntry.Update(new(t, i), "db.c", new BsonDocument("_id", key).Add("v", i), Wall);

    private static OplogEntry Del(long t, long i, int key) => OplogEntry.Delete(new(t, i), "db.c", key, Wall);

    [Fact]
    public void A_deposed_master_rolls_back_its_entries_after_the_common_point()
    {
        List<OplogEntry> local = [Set(1, 1, 1), Set(1, 2, 2), Set(1, 3, 3), Del(1, 4, 1), Set(1, 5, 3)];
        List<OplogEntry> master = [Set(1, 1, 1), Set(1, 2, 2), OplogEntry.Noop(new(2, 3), Wall), Set(2, 4, 4)];
        Assert.True(RollbackPlanner.TryAnalyze(local, master, out var analysis));
        Assert.Equal(new OpPosition(1, 2), analysis.CommonPoint);
        Assert.Equal([new OpPosition(1, 3), new(1, 4), new(1, 5)], analysis.Divergent.Select(e => e.Position));
        Assert.Equal([new DocumentKey("db.c", 3), new("db.c", 1)], analysis.TouchedDocuments);

        var onMaster = new Dictionary<DocumentKey, BsonDocument> { [new("db.c", 1)] = new BsonDocument("_id", 1).Add("v", 1) };
        var plan = analysis.ToPlan(onMaster);
        Assert.Equal(new OpPosition(1, 2), plan.TruncateAfter);
        Assert.Equal(analysis.Divergent, plan.SaveToRollback);
        Assert.Equal([new UpsertDocument(new("db.c", 1), onMaster[new("db.c", 1)])], plan.Restore);
        Assert.Equal([new DocumentKey("db.c", 3)], plan.Delete);
    }

    [Fact]
    public void After_a_rollback_applied_is_the_common_point_unless_the_node_had_not_applied_that_far()
    {
        var plan = new RollbackPlan(new(3, 20), [], [], []);
        Assert.Equal(new OpPosition(3, 20), plan.AppliedAfter(new(2, 25)));
        Assert.Equal(new OpPosition(3, 20), plan.AppliedAfter(new(3, 20)));
        Assert.Equal(new OpPosition(3, 12), plan.AppliedAfter(new(3, 12)));
    }

    [Fact]
    public void With_no_shared_entry_in_the_retained_oplogs_a_resync_is_needed()
    {
        List<OplogEntry> local = [Set(1, 5, 1), Set(1, 6, 1)];
        List<OplogEntry> master = [Set(2, 5, 1), Set(2, 6, 1)];
        Assert.False(RollbackPlanner.TryAnalyze(local, master, out _));
        Assert.False(RollbackPlanner.TryAnalyze(local, [Set(1, 9, 1)], out _));
    }

    [Fact]
    public void When_both_hold_their_whole_history_the_empty_history_is_the_common_point()
    {
        List<OplogEntry> local = [Set(1, 1, 1), Set(1, 2, 2)];
        List<OplogEntry> master = [OplogEntry.Noop(new(2, 1), Wall)];
        Assert.True(RollbackPlanner.TryAnalyze(local, master, out var analysis));
        Assert.Equal(OpPosition.Zero, analysis.CommonPoint);
        Assert.Equal(2, analysis.Divergent.Count);
    }

    [Fact]
    public void A_node_that_is_only_behind_has_nothing_to_roll_back()
    {
        List<OplogEntry> local = [Set(1, 1, 1), Set(1, 2, 2)];
        List<OplogEntry> master = [Set(1, 1, 1), Set(1, 2, 2), Set(2, 3, 3)];
        Assert.True(RollbackPlanner.TryAnalyze(local, master, out var analysis));
        Assert.Equal(new OpPosition(1, 2), analysis.CommonPoint);
        Assert.Empty(analysis.Divergent);
        Assert.Empty(analysis.TouchedDocuments);
    }

    [Fact]
    public void The_common_point_is_the_last_shared_entry_of_two_forked_histories()
    {
        var cases = (from shared in Gen.Choose(0, 20)
                     from mine in Gen.Choose(0, 10)
                     from theirs in Gen.Choose(0, 10)
                     from capped in Gen.Choose(0, 5)
                     select (shared, mine, theirs, capped)).ToArbitrary();
        var prop = Prop.ForAll(cases, c =>
        {
            var prefix = Enumerable.Range(1, c.shared).Select(i => Set(1, i, i % 4)).ToList();
            var local = prefix.Concat(Enumerable.Range(c.shared + 1, c.mine).Select(i => Set(2, i, i % 4))).Skip(Math.Min(c.capped, c.shared)).ToList();
            var master = prefix.Concat(Enumerable.Range(c.shared + 1, c.theirs).Select(i => Set(3, i, i % 4))).ToList();
            var found = RollbackPlanner.TryAnalyze(local, master, out var analysis);
            if (c.shared > Math.Min(c.capped, c.shared))
            {
                return found
                       && analysis.CommonPoint == new OpPosition(1, c.shared)
                       && analysis.Divergent.Count == c.mine
                       && analysis.Divergent.All(e => e.Position.Term == 2);
            }

            // Nothing shared is retained locally: only a whole local history (nothing capped, or
            // nothing at all) has a common point, the empty history.
            var whole = local.Count == 0 || local[0].Position.Index == 1;
            return found == whole && (!found || (analysis.CommonPoint == OpPosition.Zero && analysis.Divergent.Count == local.Count));
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), prop);
    }
}

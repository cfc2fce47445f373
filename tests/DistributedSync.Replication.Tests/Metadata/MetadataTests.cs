using DistributedSync.Bson;
using DistributedSync.Replication.Metadata;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Tests.Metadata;

public sealed class MetadataTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void The_term_document_has_the_documented_shape_and_round_trips()
    {
        var record = new TermRecord(7, 3, Now);
        var doc = record.ToBson();
        Assert.Equal(["_id", "term", "masterId", "updatedAt"], doc.Names);
        Assert.Equal("term", doc["_id"].AsString);
        Assert.Equal(record, TermRecord.FromBson(doc));
        Assert.Equal(TermRecord.None, TermRecord.FromBson(null));
    }

    [Theory]
    [InlineData(ReplicationState.Consistent, "secondary")]
    [InlineData(ReplicationState.Recovering, "recovering")]
    [InlineData(ReplicationState.RollingBack, "rollback")]
    [InlineData(ReplicationState.Resyncing, "resync")]
    public void The_replication_document_round_trips_every_state(ReplicationState state, string name)
    {
        var record = new ReplicationRecord(new(4, 9), state, new(5, 12), new(4, 20), "a-1");
        var doc = record.ToBson();
        Assert.Equal(name, doc["state"].AsString);
        Assert.Equal(new BsonDocument("t", 4L).Add("i", 9L), doc["applied"]);
        Assert.Equal(record, ReplicationRecord.FromBson(doc));
        Assert.Equal(ReplicationRecord.Initial, ReplicationRecord.FromBson(null));
        Assert.Throws<FormatException>(() => ReplicationRecord.FromBson(doc.DeepClone().Set("state", "primary?")));
    }

    [Fact]
    public void A_resyncing_node_reports_the_position_it_held()
    {
        var resyncing = new ReplicationRecord(OpPosition.Zero, ReplicationState.Resyncing, HeldUpTo: new(4, 20));
        Assert.Equal(new OpPosition(4, 20), resyncing.ReportedLast(OpPosition.Zero));
        Assert.Equal(new OpPosition(5, 1), resyncing.ReportedLast(new(5, 1)));
        Assert.Equal(new OpPosition(3, 3), (resyncing with { State = ReplicationState.Recovering }).ReportedLast(new(3, 3)));
    }

    [Fact]
    public void Compare_and_set_raises_only_a_lower_term_and_succeeds_again_for_the_same_record()
    {
        var stored = new TermRecord(5, 2, Now);
        var (raised, ok) = TermRules.CompareAndSet(stored, 6, 3, Now);
        Assert.True(ok);
        Assert.Equal((6L, 3), (raised.Term, raised.MasterId));

        Assert.True(TermRules.CompareAndSet(raised, 6, 3, Now).Succeeded);
        var (kept, other) = TermRules.CompareAndSet(raised, 6, 1, Now);
        Assert.False(other);
        Assert.Same(raised, kept);
        Assert.False(TermRules.CompareAndSet(raised, 4, 3, Now).Succeeded);
    }

    [Fact]
    public void Fencing_accepts_writers_of_the_stored_term_or_newer_only()
    {
        Assert.True(TermRules.MayAccept(5, 5));
        Assert.True(TermRules.MayAccept(5, 6));
        Assert.False(TermRules.MayAccept(5, 4));
        var entries = new[] { OplogEntry.Noop(new(4, 1), Now), OplogEntry.Noop(new(6, 2), Now), OplogEntry.Noop(new(5, 3), Now) };
        Assert.Equal(6, TermRules.NewerTermIn(4, entries));
        Assert.Null(TermRules.NewerTermIn(6, entries));
    }

    [Fact]
    public void The_compare_and_set_update_targets_lower_terms_only()
    {
        Assert.Equal(new BsonDocument("_id", "term").Add("term", new BsonDocument("$lt", 8L)), TermRules.CompareAndSetFilter(8));
        var set = TermRules.CompareAndSetUpdate(8, 2, Now)["$set"].AsDocument;
        Assert.Equal((8L, 2), (set["term"].AsInt64, set["masterId"].AsInt32));
    }
}

using DistributedSync.Bson;
using DistributedSync.Replication.Oplog;
using FsCheck;
using FsCheck.Fluent;

namespace DistributedSync.Replication.Tests.Oplog;

public sealed class OplogApplierTests
{
    private static readonly DateTimeOffset Wall = DateTimeOffset.UnixEpoch;

    [Fact]
    public void Inserts_updates_and_replaces_upsert_the_whole_document_and_deletes_delete_by_id()
    {
        var doc = new BsonDocument("_id", 1).Add("v", 2);
        Assert.Equal(new UpsertDocument(new("db.c", 1), doc), OplogApplier.ToAction(OplogEntry.Update(new(1, 1), "db.c", doc, Wall)));
        Assert.Equal(new UpsertDocument(new("db.c", 1), doc), OplogApplier.ToAction(OplogEntry.Insert(new(1, 1), "db.c", doc, Wall)));
        Assert.Equal(new UpsertDocument(new("db.c", 1), doc), OplogApplier.ToAction(OplogEntry.Replace(new(1, 1), "db.c", doc, Wall)));
        Assert.Equal(new DeleteDocument(new("db.c", 1)), OplogApplier.ToAction(OplogEntry.Delete(new(1, 1), "db.c", 1, Wall)));
        Assert.Same(NoAction.Instance, OplogApplier.ToAction(OplogEntry.Noop(new(1, 1), Wall)));
    }

    [Fact]
    public void Deleting_a_missing_document_and_updating_a_missing_one_are_fine()
    {
        var data = new Dictionary<DocumentKey, BsonDocument>();
        OplogApplier.Apply(data, [OplogEntry.Delete(new(1, 1), "db.c", 9, Wall), OplogEntry.Update(new(1, 2), "db.c", new BsonDocument("_id", 9).Add("v", 1), Wall)]);
        Assert.Equal(new BsonDocument("_id", 9).Add("v", 1), data[new("db.c", 9)]);
    }

    private static readonly Arbitrary<(int Kind, int Key, int Value)[]> Histories =
        Gen.ArrayOf(
            from kind in Gen.Choose(0, 2)
            from key in Gen.Choose(0, 5)
            from value in Gen.Choose(0, 1000)
            select (kind, key, value)).ToArbitrary();

    private static List<OplogEntry> Build((int Kind, int Key, int Value)[] ops)
    {
        var entries = new List<OplogEntry>();
        for (var i = 0; i < ops.Length; i++)
        {
            var (kind, key, value) = ops[i];
            var position = new OpPosition(1, i + 1);
            entries.Add(kind == 2
                ? OplogEntry.Delete(position, "db.c", key, Wall)
                : OplogEntry.Update(position, "db.c", new BsonDocument("_id", key).Add("v", value), Wall));
        }

        return entries;
    }

    private static bool Same(Dictionary<DocumentKey, BsonDocument> a, Dictionary<DocumentKey, BsonDocument> b)
        => a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var d) && d.Equals(kv.Value));

    [Fact]
    public void Replaying_any_suffix_again_in_order_leaves_the_same_data()
    {
        var prop = Prop.ForAll(Histories, Arb.From(Gen.Choose(0, 50)), (ops, from) =>
        {
            var entries = Build(ops);
            var once = new Dictionary<DocumentKey, BsonDocument>();
            OplogApplier.Apply(once, entries);
            var again = new Dictionary<DocumentKey, BsonDocument>(once);
            OplogApplier.Apply(again, entries.Skip(Math.Min(from, entries.Count)));
            return Same(once, again);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), prop);
    }

    [Fact]
    public void Replaying_a_suffix_over_any_later_state_converges_to_the_final_state()
    {
        // A resync copies documents at some moment after P, then replays from P: the result must
        // be the final state whatever moment the copy saw.
        var prop = Prop.ForAll(Histories, Arb.From(Gen.Choose(0, 50)), Arb.From(Gen.Choose(0, 50)), (ops, p, seen) =>
        {
            var entries = Build(ops);
            var start = Math.Min(p, entries.Count);
            var copyAt = Math.Clamp(seen, start, entries.Count);
            var final = new Dictionary<DocumentKey, BsonDocument>();
            OplogApplier.Apply(final, entries);
            var copy = new Dictionary<DocumentKey, BsonDocument>();
            OplogApplier.Apply(copy, entries.Take(copyAt));
            OplogApplier.Apply(copy, entries.Skip(start));
            return Same(final, copy);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), prop);
    }
}

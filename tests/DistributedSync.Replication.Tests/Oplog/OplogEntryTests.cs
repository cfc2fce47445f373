using DistributedSync.Bson;
using DistributedSync.Bson.IO;
using DistributedSync.Replication.Oplog;

namespace DistributedSync.Replication.Tests.Oplog;

public sealed class OplogEntryTests
{
    private static readonly DateTimeOffset Wall = new(2030, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);

    public static TheoryData<string> Kinds => ["insert", "update", "replace", "delete", "noop"];

    private static OplogEntry Make(string kind) => kind switch
    {
        "insert" => OplogEntry.Insert(new(2, 7), "shop.orders", new BsonDocument("_id", 5).Add("qty", 1), Wall),
        "update" => OplogEntry.Update(new(2, 8), "shop.orders", new BsonDocument("_id", 5).Add("qty", 2), Wall),
        "replace" => OplogEntry.Replace(new(2, 9), "shop.orders", new BsonDocument("_id", 5).Add("note", "x"), Wall),
        "delete" => OplogEntry.Delete(new(3, 10), "shop.orders", new BsonObjectId(ObjectId.Parse("0123456789abcdef01234567")), Wall),
        _ => OplogEntry.Noop(new(3, 11), Wall),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_round_trips_through_BSON_bytes(string kind)
    {
        var entry = Make(kind);
        var bytes = BsonCodec.ToBytes(OplogEntrySerializer.ToBson(entry));
        var back = OplogEntrySerializer.FromBson(BsonCodec.Decode(bytes));
        Assert.Equal(entry, back);
        Assert.Equal(entry.WallTime, back.WallTime);
    }

    [Fact]
    public void The_stored_form_has_the_index_as_id_and_the_documented_fields()
    {
        var doc = OplogEntrySerializer.ToBson(Make("update"));
        Assert.Equal(["_id", "t", "op", "ns", "o", "wall"], doc.Names);
        Assert.Equal(new BsonInt64(8), doc["_id"]);
        Assert.Equal(new BsonInt64(2), doc["t"]);
        Assert.Equal("u", doc["op"].AsString);
        var delete = OplogEntrySerializer.ToBson(Make("delete"));
        Assert.Equal("d", delete["op"].AsString);
        Assert.True(delete.Contains("id"));
        Assert.False(delete.Contains("o"));
    }

    [Fact]
    public void Malformed_entries_are_rejected_with_a_format_error()
    {
        var good = OplogEntrySerializer.ToBson(Make("insert"));
        foreach (var field in new[] { "_id", "t", "op", "ns", "o", "wall" })
        {
            var broken = good.DeepClone();
            broken.Remove(field);
            Assert.Throws<FormatException>(() => OplogEntrySerializer.FromBson(broken));
        }

        var unknown = good.DeepClone().Set("op", "x");
        Assert.Throws<FormatException>(() => OplogEntrySerializer.FromBson(unknown));
        var noId = good.DeepClone().Set("o", new BsonDocument("qty", 1));
        Assert.Throws<FormatException>(() => OplogEntrySerializer.FromBson(noId));
    }

    [Fact]
    public void Factories_check_their_arguments()
    {
        Assert.Throws<ArgumentException>(() => OplogEntry.Insert(new(1, 1), "nodot", new BsonDocument("_id", 1), Wall));
        Assert.Throws<ArgumentException>(() => OplogEntry.Insert(new(1, 1), "db.c", new BsonDocument("x", 1), Wall));
        Assert.Throws<ArgumentOutOfRangeException>(() => OplogEntry.Noop(OpPosition.Zero, Wall));
        Assert.Equal(new DocumentKey("db.c", 1), OplogEntry.Delete(new(1, 1), "db.c", 1, Wall).Key);
        Assert.Null(OplogEntry.Noop(new(1, 1), Wall).Key);
    }

    [Fact]
    public void Document_keys_compare_ids_the_way_the_id_index_does()
    {
        Assert.Equal(new DocumentKey("db.c", 1), new DocumentKey("db.c", 1L));
        Assert.Equal(new DocumentKey("db.c", 1).GetHashCode(), new DocumentKey("db.c", 1.0).GetHashCode());
        Assert.NotEqual(new DocumentKey("db.c", 1), new DocumentKey("db.d", 1));
        Assert.NotEqual(new DocumentKey("db.c", 1), new DocumentKey("db.c", "1"));
    }

    [Fact]
    public void AtPosition_moves_an_entry_without_changing_what_it_replays()
    {
        var moved = Make("insert").AtPosition(new(4, 40));
        Assert.Equal(new OpPosition(4, 40), moved.Position);
        Assert.Equal(Make("insert").Document, moved.Document);
    }
}

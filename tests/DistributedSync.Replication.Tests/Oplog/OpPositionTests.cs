using DistributedSync.Bson;
using DistributedSync.Replication.Oplog;
using FsCheck;
using FsCheck.Fluent;

namespace DistributedSync.Replication.Tests.Oplog;

public sealed class OpPositionTests
{
    [Fact]
    public void A_later_term_is_more_recent_than_any_index_of_an_earlier_term()
    {
        Assert.True(new OpPosition(5, 1) > new OpPosition(4, 1_000_000));
        Assert.True(new OpPosition(4, 10) < new OpPosition(4, 11));
        Assert.True(OpPosition.Zero < new OpPosition(1, 1));
        Assert.Equal(new OpPosition(5, 1), OpPosition.Max(new OpPosition(5, 1), new OpPosition(4, 9)));
        Assert.Equal(new OpPosition(4, 9), OpPosition.Min(new OpPosition(5, 1), new OpPosition(4, 9)));
    }

    [Fact]
    public void Ordering_is_lexicographic_on_term_then_index()
    {
        var small = Gen.Choose(-3, 3).Select(v => (long)v);
        var cases = Gen.Zip(Gen.Zip(small, small), Gen.Zip(small, small)).ToArbitrary();
        var prop = Prop.ForAll(cases, c =>
        {
            var ((t1, i1), (t2, i2)) = c;
            var expected = (t1, i1).CompareTo((t2, i2));
            var actual = new OpPosition(t1, i1).CompareTo(new OpPosition(t2, i2));
            return Math.Sign(expected) == Math.Sign(actual)
                   && (new OpPosition(t1, i1) < new OpPosition(t2, i2)) == (expected < 0)
                   && (new OpPosition(t1, i1) >= new OpPosition(t2, i2)) == (expected >= 0);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), prop);
    }

    [Fact]
    public void The_BSON_form_is_t_and_i_as_Int64_and_reads_any_number_type()
    {
        var doc = new OpPosition(3, 42).ToBsonDocument();
        Assert.Equal(new BsonDocument("t", 3L).Add("i", 42L), doc);
        Assert.Equal(new OpPosition(3, 42), OpPosition.FromBsonDocument(new BsonDocument("t", 3).Add("i", 42.0)));
        Assert.Throws<FormatException>(() => OpPosition.FromBsonDocument(new BsonDocument("t", 3)));
        Assert.Throws<FormatException>(() => OpPosition.FromBsonDocument(new BsonDocument("t", "3").Add("i", 1)));
    }
}

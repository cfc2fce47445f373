using DistributedSync.Bson;
using DistributedSync.Emulator.Storage;
using Xunit;

namespace DistributedSync.Emulator.Tests.Storage;

public sealed class IndexKeyEncoderTests
{
    public static TheoryData<string, BsonValue, BsonValue> EqualPairs() => new()
    {
        { "int32 vs int64", 1, 1L },
        { "int32 vs double", 7, 7.0 },
        { "negative zero", 0.0, -0.0 },
        { "int64 max vs decimal", long.MaxValue, Decimal128Of(long.MaxValue) },
        { "double vs decimal with trailing zeros", 2.5, Decimal128Of(25, -1, trailingZeros: 2) },
        { "nan vs nan", double.NaN, double.NaN },
        { "string vs symbol", "abc", new BsonSymbol("abc") },
        { "documents with equal numbers", new BsonDocument("a", 1), new BsonDocument("a", 1.0) },
        { "arrays with equal numbers", new BsonArray { 1, 2L }, new BsonArray { 1.0, 2 } },
        { "null vs undefined", BsonNull.Value, BsonUndefined.Value },
    };

    public static TheoryData<string, BsonValue, BsonValue> DifferentPairs() => new()
    {
        { "0.1 double vs nearby decimal", 0.1, Decimal128Of(1, -1, trailingZeros: 0) },
        { "2^53 vs 2^53+1", (long)(1L << 53), (1L << 53) + 1 },
        { "string vs number", "1", 1 },
        { "field order", new BsonDocument { { "a", 1 }, { "b", 2 } }, new BsonDocument { { "b", 2 }, { "a", 1 } } },
        { "field names", new BsonDocument("a", 1), new BsonDocument("b", 1) },
        { "true vs 1", true, 1 },
        { "array vs its element", new BsonArray { 1 }, 1 },
        { "nested document vs flattened", new BsonDocument("a", new BsonDocument("b", 1)), new BsonDocument("a.b", 1) },
        { "string prefix", "ab", "abc" },
        { "infinity vs max double", double.PositiveInfinity, double.MaxValue },
    };

    [Theory]
    [MemberData(nameof(EqualPairs))]
    public void Values_mongod_considers_equal_get_equal_keys(string because, BsonValue a, BsonValue b)
        => Assert.True(IndexKeyEncoder.Encode(a).AsSpan().SequenceEqual(IndexKeyEncoder.Encode(b)), because);

    [Theory]
    [MemberData(nameof(DifferentPairs))]
    public void Values_mongod_considers_different_get_different_keys(string because, BsonValue a, BsonValue b)
        => Assert.False(IndexKeyEncoder.Encode(a).AsSpan().SequenceEqual(IndexKeyEncoder.Encode(b)), because);

    [Fact]
    public void An_object_id_key_is_its_tag_and_twelve_bytes_alone_or_in_a_compound_key()
    {
        var id = ObjectId.Parse("65a1b2c3d4e5f60718293a4b");

        var key = IndexKeyEncoder.Encode(new BsonObjectId(id));

        Assert.Equal([(byte)'O', .. id.ToByteArray()], key);
        Assert.Equal(key, IndexKeyEncoder.Encode([new BsonObjectId(id)]));
        Assert.NotEqual(key, IndexKeyEncoder.Encode(new BsonObjectId(ObjectId.Parse("65a1b2c3d4e5f60718293a4c"))));
    }

    // Builds coefficient * 10^exponent, with the coefficient multiplied by 10^trailingZeros and
    // the exponent lowered to match (same value, different encoding).
    private static Decimal128 Decimal128Of(long coefficient, int exponent = 0, int trailingZeros = 0)
    {
        var c = (ulong)coefficient;
        for (var i = 0; i < trailingZeros; i++)
        {
            c *= 10;
        }

        var biased = (ulong)(exponent - trailingZeros + 6176);
        return new Decimal128(biased << 49, c);
    }
}

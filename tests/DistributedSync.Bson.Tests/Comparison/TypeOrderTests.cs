using Xunit;

namespace DistributedSync.Bson.Tests.Comparison;

/// <summary>The cross-type brackets of mongod's canonical type order.</summary>
public sealed class TypeOrderTests
{
    private static readonly BsonValueComparer Comparer = BsonValueComparer.Instance;

    /// <summary>One value per bracket, in mongod's order; within a bracket, values that sort high.</summary>
    private static BsonValue[] Ascending() =>
    [
        BsonMinKey.Value,
        BsonUndefined.Value,
        BsonNull.Value,
        new BsonDouble(double.PositiveInfinity),
        new BsonString("\U0010FFFF"),
        new BsonDocument("z", BsonMaxKey.Value),
        new BsonArray([BsonMaxKey.Value]),
        new BsonBinaryData(new byte[] { 0xFF }, BsonBinarySubtype.UserDefined),
        new BsonObjectId(ObjectId.Parse("ffffffffffffffffffffffff")),
        BsonBoolean.True,
        new BsonDateTime(long.MaxValue),
        BsonTimestamp.FromValue(ulong.MaxValue),
        new BsonRegularExpression("zzz", "x"),
        new BsonDbPointer("zz.zz", ObjectId.Parse("ffffffffffffffffffffffff")),
        new BsonJavaScript("\uFFFF"),
        new BsonJavaScriptWithScope("", new BsonDocument()),
        BsonMaxKey.Value,
    ];

    public static TheoryData<BsonType, int> Ranks => new()
    {
        { BsonType.MinKey, -1 },
        { BsonType.Undefined, 0 },
        { BsonType.Null, 5 },
        { BsonType.Int32, 10 },
        { BsonType.Int64, 10 },
        { BsonType.Double, 10 },
        { BsonType.Decimal128, 10 },
        { BsonType.String, 15 },
        { BsonType.Symbol, 15 },
        { BsonType.Document, 20 },
        { BsonType.Array, 25 },
        { BsonType.Binary, 30 },
        { BsonType.ObjectId, 35 },
        { BsonType.Boolean, 40 },
        { BsonType.DateTime, 45 },
        { BsonType.Timestamp, 47 },
        { BsonType.RegularExpression, 50 },
        { BsonType.DbPointer, 55 },
        { BsonType.JavaScript, 60 },
        { BsonType.JavaScriptWithScope, 65 },
        { BsonType.MaxKey, 127 },
    };

    [Theory]
    [MemberData(nameof(Ranks))]
    public void CanonicalTypeOrder_IsMongodsRank(BsonType type, int rank)
        => Assert.Equal(rank, BsonValueComparer.CanonicalTypeOrder(type));

    [Fact]
    public void CanonicalTypeOrder_OfAnUnknownType_Throws()
        => Assert.Throws<ArgumentOutOfRangeException>(() => BsonValueComparer.CanonicalTypeOrder((BsonType)0x20));

    [Fact]
    public void EveryBracket_SortsBelowTheNext_WhateverTheValues()
    {
        var values = Ascending();
        for (var i = 0; i < values.Length; i++)
        {
            for (var j = 0; j < values.Length; j++)
            {
                Assert.Equal(i.CompareTo(j), Comparer.Compare(values[i], values[j]));
            }
        }
    }

    [Fact]
    public void Sort_OfShuffledBrackets_RestoresMongodsOrder()
    {
        var expected = Ascending();
        var shuffled = Ascending();
        new Random(20240611).Shuffle(shuffled);

        Array.Sort(shuffled, Comparer);

        Assert.Equal(expected.Select(v => v.Type), shuffled.Select(v => v.Type));
    }

    [Fact]
    public void LowValuesOfAHigherBracket_StillSortAboveHighValuesOfALowerOne()
    {
        Assert.True(Comparer.Compare(new BsonString(string.Empty), new BsonDouble(double.MaxValue)) > 0);
        Assert.True(Comparer.Compare(new BsonDocument(), new BsonSymbol("\uFFFF")) > 0);
        Assert.True(Comparer.Compare(new BsonArray(), new BsonDocument("a", BsonMaxKey.Value)) > 0);
        Assert.True(Comparer.Compare(BsonBoolean.False, new BsonObjectId(ObjectId.Parse("ffffffffffffffffffffffff"))) > 0);
        Assert.True(Comparer.Compare(new BsonDateTime(long.MinValue), BsonBoolean.True) > 0);
        Assert.True(Comparer.Compare(BsonTimestamp.FromValue(0), new BsonDateTime(long.MaxValue)) > 0);
        Assert.True(Comparer.Compare(new BsonDouble(double.NaN), BsonNull.Value) > 0);
        Assert.True(Comparer.Compare(BsonNull.Value, BsonUndefined.Value) > 0);
    }

    [Fact]
    public void Singletons_AreEqualToThemselvesOnly()
    {
        Assert.Equal(0, Comparer.Compare(BsonNull.Value, BsonNull.Value));
        Assert.Equal(0, Comparer.Compare(BsonMinKey.Value, BsonMinKey.Value));
        Assert.Equal(0, Comparer.Compare(BsonMaxKey.Value, BsonMaxKey.Value));
        Assert.Equal(0, Comparer.Compare(BsonUndefined.Value, BsonUndefined.Value));
        Assert.False(Comparer.Equals(BsonNull.Value, BsonUndefined.Value));
    }

    [Fact]
    public void NullReferences_SortFirst()
    {
        Assert.Equal(0, Comparer.Compare(null, null));
        Assert.Equal(-1, Comparer.Compare(null, BsonMinKey.Value));
        Assert.Equal(1, Comparer.Compare(BsonMinKey.Value, null));
        Assert.True(Comparer.Equals(null, null));
        Assert.Throws<ArgumentNullException>(() => Comparer.GetHashCode(null!));
    }
}

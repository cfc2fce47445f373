using Xunit;

namespace DistributedSync.Bson.Tests.Comparison;

/// <summary>Order within the non-numeric, non-string brackets.</summary>
public sealed class StructuredOrderTests
{
    private static readonly BsonValueComparer Comparer = BsonValueComparer.Instance;

    [Fact]
    public void Documents_CompareFieldByField_TypeThenNameThenValue()
    {
        // The type bracket of the first field decides before its name does.
        AssertLess(new BsonDocument("z", 1), new BsonDocument("a", "x"));

        // Same bracket: the name decides before the value.
        AssertLess(new BsonDocument("a", 100), new BsonDocument("b", 1));

        // Same name and bracket: the value, numerically across types.
        AssertLess(new BsonDocument("a", 1), new BsonDocument("a", 1.5));
        AssertEqual(new BsonDocument("a", 2), new BsonDocument("a", 2.0));
        AssertEqual(new BsonDocument { { "a", 1 }, { "b", "x" } }, new BsonDocument { { "a", 1L }, { "b", new BsonSymbol("x") } });

        // A prefix sorts first; the empty document is smallest.
        AssertLess(new BsonDocument(), new BsonDocument("a", BsonMinKey.Value));
        AssertLess(new BsonDocument("a", 1), new BsonDocument { { "a", 1 }, { "b", BsonMinKey.Value } });

        // Field names compare as UTF-8 too.
        AssertLess(new BsonDocument("\uFFFF", 1), new BsonDocument("\U00010000", 1));

        // Field order matters.
        AssertLess(new BsonDocument { { "a", 1 }, { "b", 2 } }, new BsonDocument { { "b", 2 }, { "a", 1 } });
    }

    [Fact]
    public void Arrays_CompareElementByElement_PrefixFirst()
    {
        AssertLess(new BsonArray(), new BsonArray([BsonMinKey.Value]));
        AssertLess(new BsonArray([1, 2]), new BsonArray([1, 2, 0]));
        AssertLess(new BsonArray([1, 3]), new BsonArray([2]));
        AssertLess(new BsonArray([1000]), new BsonArray(["a"]));
        AssertEqual(new BsonArray([1, new BsonDocument("x", 0.5)]), new BsonArray([1.0, new BsonDocument("x", new BsonDecimal128(Decimal128.Parse("0.50")))]));
    }

    [Fact]
    public void Binary_ComparesLengthThenSubtypeThenBytes()
    {
        AssertLess(Bin(BsonBinarySubtype.UserDefined, 0xFF), Bin(BsonBinarySubtype.Generic, 0, 0));
        AssertLess(Bin(BsonBinarySubtype.Generic, 0xFF), Bin(BsonBinarySubtype.Function, 0x00));
        AssertLess(Bin(BsonBinarySubtype.Function, 0x7F), Bin(BsonBinarySubtype.Function, 0x80));
        AssertLess(Bin(BsonBinarySubtype.Uuid), Bin(BsonBinarySubtype.Generic, 0));
        AssertEqual(Bin(BsonBinarySubtype.Md5, 1, 2), Bin(BsonBinarySubtype.Md5, 1, 2));
    }

    [Fact]
    public void ScalarsWithinABracket_CompareByTheirNaturalOrder()
    {
        AssertLess(new BsonObjectId(ObjectId.Parse("00000000000000000000ffff")), new BsonObjectId(ObjectId.Parse("000000000000000000010000")));
        AssertLess(new BsonObjectId(ObjectId.Parse("7fffffffffffffffffffffff")), new BsonObjectId(ObjectId.Parse("800000000000000000000000")));
        AssertLess(BsonBoolean.False, BsonBoolean.True);
        AssertLess(new BsonDateTime(-1), new BsonDateTime(0));
        AssertLess(new BsonDateTime(long.MinValue), new BsonDateTime(-1));

        // Timestamps are unsigned: a set high bit is large, and seconds outrank the increment.
        AssertLess(BsonTimestamp.FromValue(0x7FFF_FFFF_FFFF_FFFFUL), BsonTimestamp.FromValue(0x8000_0000_0000_0000UL));
        AssertLess(new BsonTimestamp(1, uint.MaxValue), new BsonTimestamp(2, 0));
    }

    [Fact]
    public void Regex_ComparesPatternThenOptions()
    {
        AssertLess(new BsonRegularExpression("a", "x"), new BsonRegularExpression("b", ""));
        AssertLess(new BsonRegularExpression("a", ""), new BsonRegularExpression("a", "i"));
        AssertLess(new BsonRegularExpression("a", "i"), new BsonRegularExpression("a", "m"));
        AssertLess(new BsonRegularExpression("a\uFFFF"), new BsonRegularExpression("a\U00010000"));
        AssertEqual(new BsonRegularExpression("a", "mi"), new BsonRegularExpression("a", "im"));
    }

    [Fact]
    public void DbPointer_ComparesNamespaceByteLengthThenBytesThenId()
    {
        var low = ObjectId.Parse("000000000000000000000000");
        var high = ObjectId.Parse("ffffffffffffffffffffffff");

        AssertLess(new BsonDbPointer("zz", high), new BsonDbPointer("aaa", low));
        AssertLess(new BsonDbPointer("é", high), new BsonDbPointer("aaa", low)); // 2 bytes < 3 bytes
        AssertLess(new BsonDbPointer("ab", high), new BsonDbPointer("é", low)); // same length: 0x61 < 0xC3
        AssertLess(new BsonDbPointer("ab", low), new BsonDbPointer("ab", high));
    }

    [Fact]
    public void Code_ComparesCode_AndCodeWithScope_ThenItsScope()
    {
        AssertLess(new BsonJavaScript("a"), new BsonJavaScript("b"));
        AssertLess(new BsonJavaScript("\uFFFF"), new BsonJavaScript("\U00010000"));
        AssertLess(new BsonJavaScriptWithScope("a", new BsonDocument("x", 9)), new BsonJavaScriptWithScope("b", new BsonDocument()));
        AssertLess(new BsonJavaScriptWithScope("a", new BsonDocument("x", 1)), new BsonJavaScriptWithScope("a", new BsonDocument("x", 2)));
        AssertEqual(new BsonJavaScriptWithScope("a", new BsonDocument("x", 1)), new BsonJavaScriptWithScope("a", new BsonDocument("x", 1.0)));
    }

    private static BsonBinaryData Bin(BsonBinarySubtype subtype, params byte[] bytes) => new(bytes, subtype);

    private static void AssertLess(BsonValue smaller, BsonValue larger)
    {
        Assert.Equal(-1, Comparer.Compare(smaller, larger));
        Assert.Equal(1, Comparer.Compare(larger, smaller));
        Assert.False(Comparer.Equals(smaller, larger));
    }

    private static void AssertEqual(BsonValue x, BsonValue y)
    {
        Assert.Equal(0, Comparer.Compare(x, y));
        Assert.Equal(0, Comparer.Compare(y, x));
        Assert.True(Comparer.Equals(x, y));
        Assert.Equal(Comparer.GetHashCode(x), Comparer.GetHashCode(y));
    }
}

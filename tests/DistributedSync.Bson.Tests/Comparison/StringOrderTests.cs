using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DistributedSync.Bson.Tests.Comparison;

/// <summary>Strings and symbols order by UTF-8 bytes, not by UTF-16 code units.</summary>
public sealed class StringOrderTests
{
    private static readonly BsonValueComparer Comparer = BsonValueComparer.Instance;

    public static TheoryData<string, string, int> Pairs => new()
    {
        { "", "", 0 },
        { "", "a", -1 },
        { "a", "b", -1 },
        { "a", "ab", -1 },
        { "B", "a", -1 },
        { "a\0", "a", 1 },
        { "a\0b", "a\0c", -1 },
        { "z", "é", -1 },
        { "\u07FF", "\u0800", -1 },

        // UTF-16 puts surrogates (U+D800..U+DFFF) below U+E000..U+FFFF; UTF-8 puts U+10000 and up above them.
        { "\U00010000", "\uFFFF", 1 },
        { "\U00010000", "\uE000", 1 },
        { "\U0001F600", "\uFFFD", 1 },
        { "\uD7FF", "\U00010000", -1 },
        { "\U0010FFFF", "\U00010000", 1 },
        { "\U0001F600", "\U0001F601", -1 },
        { "a\U0001F600", "a\uFFFF", 1 },
        { "\uFFFFa", "\U00010000", -1 },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Compare_UsesUtf8ByteOrder(string left, string right, int expected)
    {
        Assert.Equal(expected, Math.Sign(Encoding.UTF8.GetBytes(left).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(right))));
        Assert.Equal(expected, BsonValueComparer.CompareUtf8(left, right));
        Assert.Equal(expected, Comparer.Compare(new BsonString(left), new BsonString(right)));
        Assert.Equal(expected, Comparer.Compare(new BsonSymbol(left), new BsonString(right)));
        Assert.Equal(expected, Comparer.Compare(new BsonString(left), new BsonSymbol(right)));
    }

    [Fact]
    public void StringAndSymbol_WithTheSameText_AreEqualAndHashEqually()
    {
        var s = new BsonString("abc\U0001F600");
        var y = new BsonSymbol("abc\U0001F600");

        Assert.True(Comparer.Equals(s, y));
        Assert.Equal(Comparer.GetHashCode(s), Comparer.GetHashCode(y));
    }

    [Fact]
    public void Compare_AgreesWithUtf8Bytes_OnRandomWellFormedStrings()
    {
        // Code points from every UTF-8 length class and from both sides of the surrogate gap.
        var codePoint = Gen.Frequency(
            (3, Gen.Choose(0x00, 0x7F)),
            (1, Gen.Choose(0x80, 0x7FF)),
            (2, Gen.Choose(0xD000, 0xD7FF)),
            (3, Gen.Choose(0xE000, 0xFFFF)),
            (3, Gen.Choose(0x10000, 0x10FFFF)));
        var text = Gen.ListOf(codePoint).Select(cps => string.Concat(cps.Select(char.ConvertFromUtf32)));
        var prop = Prop.ForAll(
            text.ToArbitrary(),
            text.ToArbitrary(),
            (a, b) =>
            {
                var expected = Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));
                return BsonValueComparer.CompareUtf8(a, b) == expected
                    && Comparer.Compare(new BsonString(a), new BsonSymbol(b)) == expected;
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3000), prop);
    }
}

using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DistributedSync.Bson.Tests.Comparison;

/// <summary>Cross-type numeric comparison at the edges where a lossy conversion would go wrong.</summary>
public sealed class NumericOrderTests
{
    private static readonly BsonValueComparer Comparer = BsonValueComparer.Instance;

    public static TheoryData<string, string, int> Pairs => new()
    {
        // Same value, different types and cohorts.
        { "i:1", "l:1", 0 },
        { "i:1", "d:1.0", 0 },
        { "i:1", "m:1.00", 0 },
        { "l:1", "m:1E0", 0 },
        { "d:1", "m:0.100E+1", 0 },
        { "d:0.5", "m:0.50000", 0 },
        { "d:0.1", "m:0.1", 1 },
        { "d:0.1", "m:0.1000000000000000055511151231257827", 1 },
        { "d:0.1", "m:0.1000000000000000055511151231257828", -1 },

        // Around 2^53, where doubles stop being dense.
        { "l:9007199254740992", "d:9007199254740992", 0 },
        { "l:9007199254740993", "d:9007199254740992", 1 },
        { "l:9007199254740993", "d:9007199254740994", -1 },
        { "l:-9007199254740993", "d:-9007199254740992", -1 },
        { "m:9007199254740993", "d:9007199254740992", 1 },
        { "m:9007199254740993", "l:9007199254740993", 0 },

        // Around 2^63, the edge of Int64.
        { "l:9223372036854775807", "d:9.223372036854775807E18", -1 },
        { "l:9223372036854775807", "d:9223372036854775808", -1 },
        { "l:9223372036854775807", "m:9223372036854775807", 0 },
        { "l:9223372036854775807", "m:9223372036854775808", -1 },
        { "l:9223372036854775807", "d:9223372036854774784", 1 },
        { "l:-9223372036854775808", "d:-9223372036854775808", 0 },
        { "l:-9223372036854775808", "d:-9223372036854777856", 1 },
        { "l:-9223372036854775808", "m:-9223372036854775809", 1 },
        { "d:9223372036854775808", "m:9223372036854775808", 0 },
        { "d:18446744073709551616", "l:9223372036854775807", 1 },

        // Fractions against integers.
        { "l:2", "d:2.5", -1 },
        { "l:-2", "d:-2.5", 1 },
        { "l:-3", "d:-2.5", -1 },
        { "i:0", "d:4.9E-324", -1 },
        { "i:0", "d:-4.9E-324", 1 },
        { "i:0", "m:1E-6176", -1 },

        // Beyond the double range.
        { "m:1E+400", "d:1.7976931348623157E308", 1 },
        { "m:1E+400", "d:Infinity", -1 },
        { "m:-1E+400", "d:-Infinity", 1 },
        { "m:1E-400", "d:4.9E-324", -1 },
        { "m:1E-400", "d:0", 1 },
        { "m:Infinity", "d:Infinity", 0 },
        { "m:-Infinity", "d:-Infinity", 0 },
        { "m:Infinity", "l:9223372036854775807", 1 },
        { "d:-Infinity", "l:-9223372036854775808", -1 },

        // NaN: equal to NaN, below everything else, even -Infinity.
        { "d:NaN", "m:NaN", 0 },
        { "d:NaN", "m:-NaN", 0 },
        { "d:NaN", "d:-Infinity", -1 },
        { "m:NaN", "d:-Infinity", -1 },
        { "d:NaN", "l:-9223372036854775808", -1 },
        { "m:NaN", "i:-2147483648", -1 },

        // Signed zeros.
        { "d:-0", "d:0", 0 },
        { "d:-0", "i:0", 0 },
        { "m:-0", "d:0", 0 },
        { "m:-0E+6111", "l:0", 0 },
        { "m:0E-6176", "d:-0", 0 },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Compare_IsExact(string left, string right, int expected)
    {
        var x = NumberText.Parse(left);
        var y = NumberText.Parse(right);

        Assert.Equal(expected, NumberText.ReferenceCompare(x, y));
        Assert.Equal(expected, Comparer.Compare(x, y));
        Assert.Equal(-expected, Comparer.Compare(y, x));
        Assert.Equal(expected == 0, Comparer.Equals(x, y));
        if (expected == 0)
        {
            Assert.Equal(Comparer.GetHashCode(x), Comparer.GetHashCode(y));
        }
    }

    [Fact]
    public void Compare_AgreesWithTheExactReference_OnRandomNumbers()
    {
        var numbers = ComparisonGen.Number.ToArbitrary();
        var prop = Prop.ForAll(numbers, numbers, (x, y) => Comparer.Compare(x, y) == NumberText.ReferenceCompare(x, y));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5000), prop);
    }

    [Fact]
    public void EqualNumbers_HashEqually_OnRandomNumbers()
    {
        var numbers = ComparisonGen.Number.ToArbitrary();
        var prop = Prop.ForAll(
            numbers,
            numbers,
            (x, y) => NumberText.ReferenceCompare(x, y) != 0 || Comparer.GetHashCode(x) == Comparer.GetHashCode(y));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5000), prop);
    }

    [Fact]
    public void HashSet_WithTheComparer_MergesOneNumberWrittenFourWays()
    {
        var set = new HashSet<BsonValue>(Comparer)
        {
            BsonInt32.Create(1),
            new BsonInt64(1),
            new BsonDouble(1.0),
            new BsonDecimal128(Decimal128.Parse("1.00")),
            new BsonDecimal128(Decimal128.Parse("0.001E+3")),
        };

        Assert.Single(set);
        Assert.Contains(new BsonDecimal128(Decimal128.One), set);
        Assert.DoesNotContain(new BsonDouble(1.0000000000000002), set);
    }
}

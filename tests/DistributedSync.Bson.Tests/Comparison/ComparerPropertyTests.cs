using DistributedSync.Bson.Tests.Generators;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DistributedSync.Bson.Tests.Comparison;

/// <summary>The comparer is a total order whose equality and hash agree with it.</summary>
public sealed class ComparerPropertyTests
{
    private static readonly BsonValueComparer Comparer = BsonValueComparer.Instance;
    private static readonly Arbitrary<BsonValue> Values = ComparisonGen.Value(2).ToArbitrary();
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(3000);

    [Fact]
    public void Compare_IsReflexive_OnCopies()
    {
        var prop = Prop.ForAll(Values, x => Comparer.Compare(x, Copy(x)) == 0 && Comparer.Equals(Copy(x), x));
        Check.One(Runs, prop);
    }

    [Fact]
    public void Compare_IsAntisymmetric()
    {
        var prop = Prop.ForAll(Values, Values, (x, y) => Comparer.Compare(x, y) == -Comparer.Compare(y, x));
        Check.One(Runs, prop);
    }

    [Fact]
    public void Compare_IsTransitive_OverSortedLists()
    {
        // Sorting with a non-transitive comparer leaves some pair out of order (or throws).
        var lists = Gen.ListOf(ComparisonGen.Value(2), 12).Select(l => l.ToArray()).ToArbitrary();
        var prop = Prop.ForAll(
            lists,
            values =>
            {
                Array.Sort(values, Comparer);
                for (var i = 0; i < values.Length; i++)
                {
                    for (var j = i + 1; j < values.Length; j++)
                    {
                        if (Comparer.Compare(values[i], values[j]) > 0)
                        {
                            return false;
                        }
                    }
                }

                return true;
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), prop);
    }

    [Fact]
    public void Compare_IsTransitive_OnTriples()
    {
        var prop = Prop.ForAll(
            Values,
            Values,
            Values,
            (x, y, z) =>
            {
                var xy = Comparer.Compare(x, y);
                var yz = Comparer.Compare(y, z);
                var xz = Comparer.Compare(x, z);
                if (xy > 0 || yz > 0)
                {
                    return true;
                }

                // x <= y <= z: x < z when either step is strict, x == z otherwise.
                return xy < 0 || yz < 0 ? xz < 0 : xz == 0;
            });
        Check.One(Runs, prop);
    }

    [Fact]
    public void Equals_IsCompareZero_AndEqualValuesHashEqually()
    {
        var prop = Prop.ForAll(
            Values,
            Values,
            (x, y) =>
            {
                var equal = Comparer.Compare(x, y) == 0;
                return Comparer.Equals(x, y) == equal && (!equal || Comparer.GetHashCode(x) == Comparer.GetHashCode(y));
            });
        Check.One(Runs, prop);
    }

    [Fact]
    public void StructurallyEqualValues_CompareEqual()
    {
        // BsonValue.Equals is type-exact and stricter than the comparer's equality.
        var prop = Prop.ForAll(Values, Values, (x, y) => !x.Equals(y) || Comparer.Compare(x, y) == 0);
        Check.One(Runs, prop);
    }

    [Fact]
    public void Compare_OfDifferentBrackets_FollowsCanonicalTypeOrder()
    {
        var prop = Prop.ForAll(
            Values,
            Values,
            (x, y) =>
            {
                var rx = BsonValueComparer.CanonicalTypeOrder(x.Type);
                var ry = BsonValueComparer.CanonicalTypeOrder(y.Type);
                return rx == ry || Comparer.Compare(x, y) == rx.CompareTo(ry);
            });
        Check.One(Runs, prop);
    }

    [Fact]
    public void OrderLaws_HoldOnTheGeneralBsonGenerator()
    {
        // BsonGen covers what ComparisonGen does not: random bit patterns for doubles and
        // decimals (non-canonical encodings, NaN payloads), arbitrary text and binary.
        var prop = Prop.ForAll(
            BsonGen.Values,
            BsonGen.Values,
            (x, y) =>
            {
                var c = Comparer.Compare(x, y);
                return c == -Comparer.Compare(y, x)
                    && Comparer.Compare(x, Copy(x)) == 0
                    && (c != 0 || Comparer.GetHashCode(x) == Comparer.GetHashCode(y));
            });
        Check.One(Runs, prop);
    }

    [Fact]
    public void SortedLists_FromTheGeneralBsonGenerator_AreOrderedPairwise()
    {
        var lists = Gen.ListOf(Gen.OneOf(BsonGen.Value, ComparisonGen.Value(1)), 10).Select(l => l.ToArray()).ToArbitrary();
        var prop = Prop.ForAll(
            lists,
            values =>
            {
                Array.Sort(values, Comparer);
                for (var i = 0; i + 1 < values.Length; i++)
                {
                    for (var j = i + 1; j < values.Length; j++)
                    {
                        if (Comparer.Compare(values[i], values[j]) > 0)
                        {
                            return false;
                        }
                    }
                }

                return true;
            });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), prop);
    }

    private static BsonValue Copy(BsonValue value) => value switch
    {
        BsonDocument d => d.DeepClone(),
        BsonArray a => a.DeepClone(),
        _ => value,
    };
}

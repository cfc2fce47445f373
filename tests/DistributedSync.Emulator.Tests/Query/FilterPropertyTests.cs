using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>Algebraic properties of the matcher over generated documents and filters.</summary>
public sealed class FilterPropertyTests
{
    private static readonly Config Many = Config.QuickThrowOnFailure.WithMaxTest(400);

    private static readonly Gen<BsonValue> Scalars = Gen.OneOf(
        Gen.Choose(-2, 2).Select(i => (BsonValue)i),
        Gen.Choose(-2, 2).Select(i => (BsonValue)(i + 0.5)),
        Gen.Choose(-2, 2).Select(i => (BsonValue)(long)i),
        Gen.Elements("a", "b").Select(s => (BsonValue)s),
        Gen.Elements<BsonValue>(BsonNull.Value, BsonBoolean.True));

    private static readonly Gen<BsonValue> Values = Gen.OneOf(
        Scalars,
        Scalars,
        Gen.ListOf(Scalars).Select(l => (BsonValue)new BsonArray(l.Take(3))),
        Scalars.Select(v => (BsonValue)new BsonDocument("b", v)),
        Gen.ListOf(Scalars.Select(v => (BsonValue)new BsonDocument("b", v))).Select(l => (BsonValue)new BsonArray(l.Take(3))));

    private static readonly Gen<BsonDocument> Documents =
        from a in Gen.OneOf(Values.Select(v => (BsonValue?)v), Gen.Constant<BsonValue?>(null))
        from c in Scalars
        select a is null ? new BsonDocument("c", c) : new BsonDocument { { "a", a }, { "c", c } };

    private static readonly Gen<string> Paths = Gen.Elements("a", "a.b", "c", "a.0", "a.0.b");

    private static readonly Gen<BsonDocument> Leaves =
        from path in Paths
        from op in Gen.Elements("$eq", "$gt", "$gte", "$lt", "$lte", "$ne", "$exists", "$type", "$size")
        from operand in Scalars
        from n in Gen.Choose(0, 2)
        select new BsonDocument(path, new BsonDocument(op, op switch
        {
            "$exists" => n > 0,
            "$type" => new[] { "number", "string", "array", "object", "null" }[n],
            "$size" => n,
            _ => operand,
        }));

    private static readonly Arbitrary<BsonDocument> Docs = Documents.ToArbitrary();

    private static readonly Arbitrary<BsonDocument> Filters = Leaves.ToArbitrary();

    private static bool Matches(BsonDocument filter, BsonDocument doc) => FilterMatcher.Compile(filter).Matches(doc);

    [Fact]
    public void And_MatchesExactlyWhenBothClausesMatch()
        => Prop.ForAll(Filters, Filters, Docs, (f1, f2, doc) =>
            Assert.Equal(Matches(f1, doc) && Matches(f2, doc), Matches(new BsonDocument("$and", new BsonArray { f1, f2 }), doc))).Check(Many);

    [Fact]
    public void Or_MatchesExactlyWhenEitherClauseMatches()
        => Prop.ForAll(Filters, Filters, Docs, (f1, f2, doc) =>
            Assert.Equal(Matches(f1, doc) || Matches(f2, doc), Matches(new BsonDocument("$or", new BsonArray { f1, f2 }), doc))).Check(Many);

    [Fact]
    public void Nor_IsTheNegationOfOr()
        => Prop.ForAll(Filters, Filters, Docs, (f1, f2, doc) =>
            Assert.Equal(
                !Matches(new BsonDocument("$or", new BsonArray { f1, f2 }), doc),
                Matches(new BsonDocument("$nor", new BsonArray { f1, f2 }), doc))).Check(Many);

    [Fact]
    public void Not_IsTheNegationOfTheOperatorItWraps()
        => Prop.ForAll(Filters, Docs, (f, doc) =>
        {
            var (path, ops) = f[0];
            var negated = new BsonDocument(path, new BsonDocument("$not", ops));
            Assert.Equal(!Matches(f, doc), Matches(negated, doc));
        }).Check(Many);

    [Fact]
    public void Nin_IsTheNegationOfIn_AndInIsAnOrOfEqualities()
    {
        var lists = Gen.ListOf(Scalars).Select(l => new BsonArray(l.Take(4))).ToArbitrary();
        Prop.ForAll(Paths.ToArbitrary(), lists, Docs, (path, list, doc) =>
        {
            var inMatch = Matches(new BsonDocument(path, new BsonDocument("$in", list)), doc);
            Assert.Equal(!inMatch, Matches(new BsonDocument(path, new BsonDocument("$nin", list)), doc));
            var anyEqual = list.Any(v => Matches(new BsonDocument(path, new BsonDocument("$eq", v)), doc));
            Assert.Equal(anyEqual, inMatch);
        }).Check(Many);
    }

    [Fact]
    public void Ne_IsTheNegationOfEq()
        => Prop.ForAll(Paths.ToArbitrary(), Scalars.ToArbitrary(), Docs, (path, value, doc) =>
            Assert.Equal(
                !Matches(new BsonDocument(path, new BsonDocument("$eq", value)), doc),
                Matches(new BsonDocument(path, new BsonDocument("$ne", value)), doc))).Check(Many);

    [Fact]
    public void ExistsFalse_IsTheNegationOfExistsTrue()
        => Prop.ForAll(Paths.ToArbitrary(), Docs, (path, doc) =>
            Assert.Equal(
                !Matches(new BsonDocument(path, new BsonDocument("$exists", true)), doc),
                Matches(new BsonDocument(path, new BsonDocument("$exists", false)), doc))).Check(Many);

    [Fact]
    public void ScalarComparisons_AgreeWithTheValueComparerWithinATypeBracket()
        => Prop.ForAll(Scalars.ToArbitrary(), Scalars.ToArbitrary(), (stored, operand) =>
        {
            var doc = new BsonDocument("a", stored);
            var sameBracket = BsonValueComparer.CanonicalTypeOrder(stored.Type) == BsonValueComparer.CanonicalTypeOrder(operand.Type);
            var c = BsonValueComparer.Instance.Compare(stored, operand);
            Assert.Equal(sameBracket && c > 0, Matches(new BsonDocument("a", new BsonDocument("$gt", operand)), doc));
            Assert.Equal(sameBracket && c <= 0, Matches(new BsonDocument("a", new BsonDocument("$lte", operand)), doc));
            Assert.Equal(c == 0, Matches(new BsonDocument("a", operand), doc));
        }).Check(Many);

    [Fact]
    public void ElemMatchOnScalarArrays_ImpliesThePlainOperator()
        => Prop.ForAll(Filters, Docs, (f, doc) =>
        {
            var (path, ops) = f[0];
            if (path != "a" || ops.AsDocument[0].Name is "$exists" or "$size" or "$type" or "$ne")
            {
                return;
            }

            var elemMatch = Matches(new BsonDocument("a", new BsonDocument("$elemMatch", ops)), doc);
            if (elemMatch)
            {
                Assert.True(Matches(f, doc));
            }
        }).Check(Many);
}

using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Filter;
using static DistributedSync.Emulator.Tests.Query.Q;
using Xunit;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>$regex handling and the exact-_id shortcut.</summary>
public sealed class FilterRegexAndIdTests
{
    private const string Products = """
        [
          {"_id": 100, "sku": "abc123", "description": "Single line description."},
          {"_id": 101, "sku": "abc789", "description": "First line\nSecond line"},
          {"_id": 102, "sku": "xyz456", "description": "Many spaces before     line"},
          {"_id": 103, "sku": "xyz789", "description": "Multiple\nline description"},
          {"_id": 104, "sku": "Abc789", "description": "SKU starts with A"}
        ]
        """;

    [Fact]
    public void Regex_OperatorAndLiteralForms()
    {
        Assert.Equal([100, 101], MatchingIds("""{"sku": {"$regex": "^abc"}}""", Products));
        Assert.Equal([100, 101, 104], MatchingIds("""{"sku": {"$regex": "^ABC", "$options": "i"}}""", Products));
        Assert.Equal([100, 101, 104], MatchingIds("""{"sku": {"$regularExpression": {"pattern": "^ABC", "options": "i"}}}""", Products));
        Assert.Equal([100, 101, 104], MatchingIds("""{"sku": {"$regex": {"$regularExpression": {"pattern": "^ABC", "options": "i"}}}}""", Products));
        Assert.Equal([101, 103, 104], MatchingIds("""{"sku": {"$regex": "789$"}}""", Products));
    }

    [Fact]
    public void Regex_MultilineOption_AnchorsAtLineStarts()
    {
        Assert.Equal([100, 101, 104], MatchingIds("""{"description": {"$regex": "^S", "$options": "m"}}""", Products));
        Assert.Equal([100, 104], MatchingIds("""{"description": {"$regex": "^S"}}""", Products));
    }

    [Fact]
    public void Regex_DotAllOption_LetsDotMatchNewlines()
    {
        Assert.Equal([101], MatchingIds("""{"description": {"$regex": "first.*second", "$options": "si"}}""", Products));
        Assert.Empty(MatchingIds("""{"description": {"$regex": "first.*second", "$options": "i"}}""", Products));
    }

    [Fact]
    public void Regex_ExtendedOption_IgnoresWhitespaceAndComments()
        => Assert.Equal([100, 101], MatchingIds("{\"sku\": {\"$regex\": \"abc # category code\\n  \\\\d+\", \"$options\": \"x\"}}", Products));

    [Fact]
    public void Regex_MatchesStringElementsOfArrays_AndEqualRegexValues()
    {
        Assert.True(Matches("""{"a": {"$regex": "^b"}}""", """{"a": ["abc", "bcd"]}"""));
        Assert.False(Matches("""{"a": {"$regex": "^b"}}""", """{"a": [1, "abc"]}"""));
        Assert.True(Matches("""{"a": {"$regex": "^b", "$options": "i"}}""", """{"a": {"$regularExpression": {"pattern": "^b", "options": "i"}}}"""));
        Assert.False(Matches("""{"a": {"$regex": "^b"}}""", """{"a": {"$regularExpression": {"pattern": "^b", "options": "i"}}}"""));
    }

    [Fact]
    public void NotRegex_MatchesNonMatchingAndMissing()
        => Assert.Equal([102, 103], MatchingIds("""{"sku": {"$not": {"$regularExpression": {"pattern": "^a", "options": "i"}}}}""", Products));

    [Fact]
    public void Regex_PcreConstructsAreTranslated()
    {
        Assert.True(Matches("""{"a": {"$regex": "\\Qa.b\\E$"}}""", """{"a": "xa.b"}"""));
        Assert.False(Matches("""{"a": {"$regex": "\\Qa.b\\E$"}}""", """{"a": "xazb"}"""));
        Assert.True(Matches("""{"a": {"$regex": "^[[:alpha:]]+[[:digit:]]$"}}""", """{"a": "abc7"}"""));
        Assert.True(Matches("""{"a": {"$regex": "(?P<x>ab)(?P=x)"}}""", """{"a": "abab"}"""));
    }

    [Fact]
    public void Regex_Errors()
    {
        Assert.Equal("$options needs a $regex", Error(() => Matches("""{"a": {"$options": "i"}}""", "{}")).Message);
        Assert.Equal("$regex has to be a string", Error(() => Matches("""{"a": {"$regex": 5}}""", "{}")).Message);
        var both = Error(() => Matches("""{"a": {"$regex": {"$regularExpression": {"pattern": "x", "options": "i"}}, "$options": "m"}}""", "{}"));
        Assert.Equal(51075, both.Code);
        Assert.Equal("Location51075", both.CodeName);
        Assert.Equal(51091, Error(() => Matches("""{"a": {"$regex": "("}}""", "{}")).Code);
        Assert.Equal(51108, Error(() => Matches("""{"a": {"$regex": "x", "$options": "q"}}""", "{}")).Code);
    }

    [Theory]
    [InlineData("""{"_id": 5}""", "5")]
    [InlineData("""{"_id": {"$eq": "k"}}""", "\"k\"")]
    [InlineData("""{"_id": {"x": 1}}""", """{"x": 1}""")]
    [InlineData("""{"_id": {"$oid": "5f1b2c3d4e5f6a7b8c9d0e1f"}, "$comment": "by id"}""", """{"$oid": "5f1b2c3d4e5f6a7b8c9d0e1f"}""")]
    public void ExactId_IsRecognized(string filter, string id)
    {
        Assert.True(FilterMatcher.TryGetExactId(D(filter), out var found));
        Same(V(id), found);
        Same(V(id), FilterMatcher.Compile(D(filter)).ExactId!);
    }

    [Theory]
    [InlineData("""{"_id": 5, "a": 1}""")]
    [InlineData("""{"_id": {"$gt": 5}}""")]
    [InlineData("""{"_id": {"$eq": 5, "$ne": 6}}""")]
    [InlineData("""{"_id": [1, 2]}""")]
    [InlineData("""{"_id": {"$regularExpression": {"pattern": "x", "options": ""}}}""")]
    [InlineData("""{"a": 5}""")]
    [InlineData("{}")]
    public void ExactId_IsNotClaimedForOtherFilters(string filter)
    {
        Assert.False(FilterMatcher.TryGetExactId(D(filter), out _));
        Assert.Null(FilterMatcher.Compile(D(filter)).ExactId);
    }

    [Fact]
    public void ExactId_AgreesWithMatching()
    {
        var matcher = FilterMatcher.Compile(D("""{"_id": 1}"""));
        Assert.True(matcher.Matches(D("""{"_id": 1.0}""")));
        Assert.True(matcher.Matches(D("""{"_id": {"$numberLong": "1"}}""")));
        Assert.False(matcher.Matches(D("""{"_id": "1"}""")));
        Assert.True(BsonValueComparer.Instance.Equals(matcher.ExactId!, new BsonDouble(1.0)));
    }
}

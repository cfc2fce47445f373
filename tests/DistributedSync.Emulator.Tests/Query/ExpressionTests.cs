using DistributedSync.Bson;
using DistributedSync.Emulator.Query.Aggregation;
using Xunit;
using static DistributedSync.Emulator.Tests.Query.Q;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>Aggregation expressions: field paths, literals, objects, arrays and operators.</summary>
public sealed class ExpressionTests
{
    private const string Doc = """
        {"_id": 1, "a": 5, "b": 2.5, "s": "Hello", "n": null, "arr": [{"x": 1}, {"x": 2}, {"y": 3}, 4, [{"x": 5}]], "sub": {"k": "v"}, "d": {"$date": "2020-01-01T00:00:00Z"}}
        """;

    private static BsonValue? Eval(string expression) => AggExpression.Parse(V(expression)).Evaluate(D(Doc));

    private static void Check(string expression, string expected)
    {
        var actual = Eval(expression);
        Assert.NotNull(actual);
        Same(expected, actual);
    }

    [Fact]
    public void FieldPaths_AndVariables()
    {
        Check("\"$a\"", "5");
        Check("\"$sub.k\"", "\"v\"");
        Check("\"$$ROOT.sub\"", """{"k": "v"}""");
        Check("\"$$CURRENT.a\"", "5");
        Assert.Null(Eval("\"$missing\""));
        Assert.Null(Eval("\"$$REMOVE\""));
    }

    [Fact]
    public void FieldPath_MapsOverArraysSkippingScalarsAndMissingValues()
        => Check("\"$arr.x\"", "[1, 2, [5]]");

    [Fact]
    public void Literals_Objects_Arrays()
    {
        Check("""{"$literal": "$a"}""", "\"$a\"");
        Check("""{"x": "$a", "y": "$missing", "z": {"w": "$s"}}""", """{"x": 5, "z": {"w": "Hello"}}""");
        Check("""["$a", "$missing", 1]""", "[5, null, 1]");
        Check("7", "7");
    }

    [Fact]
    public void Arithmetic()
    {
        Check("""{"$add": ["$a", 2]}""", "7");
        Check("""{"$add": ["$a", "$b"]}""", "7.5");
        Check("""{"$add": ["$a", "$n"]}""", "null");
        Check("""{"$add": ["$d", 1000]}""", """{"$date": "2020-01-01T00:00:01Z"}""");
        Check("""{"$subtract": ["$a", 7]}""", "-2");
        Check("""{"$subtract": [{"$add": ["$d", 60000]}, "$d"]}""", """{"$numberLong": "60000"}""");
        Check("""{"$multiply": ["$a", "$b", 2]}""", "25.0");
        Check("""{"$divide": ["$a", 2]}""", "2.5");
        Check("""{"$mod": ["$a", 3]}""", "2");
        Check("""{"$abs": -3}""", "3");
        Assert.Equal(16608, Error(() => Eval("""{"$divide": ["$a", 0]}""")).Code);
        Assert.Equal(16554, Error(() => Eval("""{"$add": ["$a", "$s"]}""")).Code);
    }

    [Fact]
    public void Comparisons_UseTheFullCrossTypeOrder()
    {
        Check("""{"$eq": ["$a", 5.0]}""", "true");
        Check("""{"$gt": ["$s", "$a"]}""", "true");
        Check("""{"$lt": ["$missing", null]}""", "true");
        Check("""{"$eq": ["$missing", null]}""", "false");
        Check("""{"$cmp": ["$a", 9]}""", "-1");
        Check("""{"$ne": ["$a", 5]}""", "false");
    }

    [Fact]
    public void Logic_Conditionals()
    {
        Check("""{"$and": ["$a", {"$gt": ["$b", 1]}]}""", "true");
        Check("""{"$or": [0, "$n", "$missing"]}""", "false");
        Check("""{"$not": ["$n"]}""", "true");
        Check("""{"$cond": {"if": {"$gte": ["$a", 5]}, "then": "big", "else": "small"}}""", "\"big\"");
        Check("""{"$cond": [false, 1, 2]}""", "2");
        Check("""{"$ifNull": ["$n", "$missing", "fallback"]}""", "\"fallback\"");
        Check("""{"$ifNull": ["$a", 0]}""", "5");
    }

    [Fact]
    public void StringsAndArrays()
    {
        Check("""{"$concat": ["$s", " ", "$sub.k"]}""", "\"Hello v\"");
        Check("""{"$concat": ["$s", "$n"]}""", "null");
        Check("""{"$toUpper": "$s"}""", "\"HELLO\"");
        Check("""{"$toLower": "$s"}""", "\"hello\"");
        Check("""{"$size": "$arr"}""", "5");
        Check("""{"$arrayElemAt": ["$arr", -1]}""", """[{"x": 5}]""");
        Check("""{"$in": [4, "$arr"]}""", "true");
        Check("""{"$concatArrays": [[1], [2, 3]]}""", "[1, 2, 3]");
        Check("""{"$type": "$b"}""", "\"double\"");
        Check("""{"$type": "$missing"}""", "\"missing\"");
        Check("""{"$isArray": "$arr"}""", "true");
        Check("""{"$sum": [1, 2, "x", 3.5]}""", "6.5");
        Check("""{"$max": [[1, 7, 3]]}""", "7");
        Check("""{"$avg": "$nope"}""", "null");
        Assert.Equal(17124, Error(() => Eval("""{"$size": "$a"}""")).Code);
        Assert.Equal(16702, Error(() => Eval("""{"$concat": ["$s", 1]}""")).Code);
    }

    [Theory]
    [InlineData("""{"$nope": 1}""", 168)]
    [InlineData("""{"$add": 1, "$sub": 2}""", 15983)]
    [InlineData("\"$$undefinedVar\"", 17276)]
    [InlineData("\"$\"", 16872)]
    [InlineData("""{"$toUpper": [1, 2]}""", 16020)]
    [InlineData("""{"a.b": 1}""", 16412)]
    public void ParseErrors(string expression, int code)
        => Assert.Equal(code, Error(() => AggExpression.Parse(V(expression))).Code);
}

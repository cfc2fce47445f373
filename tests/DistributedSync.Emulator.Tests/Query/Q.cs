using DistributedSync.Bson;
using DistributedSync.Bson.Json;
using DistributedSync.Emulator.Query;
using DistributedSync.Emulator.Query.Filter;
using Xunit;

namespace DistributedSync.Emulator.Tests.Query;

/// <summary>Shorthands for writing query-engine tests in Extended JSON.</summary>
internal static class Q
{
    // Legacy {$regex, $options} wrappers off: in these tests they are query operators.
    private static readonly ExtendedJsonReaderOptions Options = new() { AllowLegacyWrappers = false };

    /// <summary>A document from Extended JSON.</summary>
    public static BsonDocument D(string json) => ExtendedJson.Parse(json, Options);

    /// <summary>A value from Extended JSON.</summary>
    public static BsonValue V(string json) => ExtendedJson.ParseValue(json, Options);

    /// <summary>An array from Extended JSON.</summary>
    public static BsonArray A(string json) => (BsonArray)V(json);

    /// <summary>Documents from an Extended JSON array of objects.</summary>
    public static List<BsonDocument> Docs(string json) => [.. A(json).Cast<BsonDocument>()];

    /// <summary>True when the filter matches the document.</summary>
    public static bool Matches(string filter, string doc) => FilterMatcher.Compile(D(filter)).Matches(D(doc));

    /// <summary>The _id values of the documents the filter matches, in order.</summary>
    public static List<int> MatchingIds(string filter, string docs)
    {
        var matcher = FilterMatcher.Compile(D(filter));
        return [.. Docs(docs).Where(matcher.Matches).Select(d => d["_id"].AsInt32)];
    }

    /// <summary>Runs the action and returns the QueryException it throws.</summary>
    public static QueryException Error(Action action) => Assert.Throws<QueryException>(action);

    /// <summary>Asserts two BSON values are identical (types and field order included), showing both on failure.</summary>
    public static void Same(BsonValue expected, BsonValue actual)
    {
        if (!expected.Equals(actual))
        {
            Assert.Fail($"Expected {ExtendedJson.Write(expected, ExtendedJsonMode.Canonical)}\nbut got  {ExtendedJson.Write(actual, ExtendedJsonMode.Canonical)}");
        }
    }

    /// <summary>Asserts a document equals the one written as Extended JSON.</summary>
    public static void Same(string expectedJson, BsonValue actual) => Same(V(expectedJson), actual);
}

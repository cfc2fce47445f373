using DistributedSync.Bson;
using DistributedSync.Mongo.Configuration;
using DistributedSync.TestKit.Scripted;

namespace DistributedSync.Mongo.Tests.Support;

/// <summary>Shortcuts for tests against a <see cref="ScriptedMongoServer"/>.</summary>
internal static class Scripted
{
    /// <summary>A generous bound for waiting on server-side events.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static MongoClient Client(ScriptedMongoServer server, string? options = null)
        => new(server.ConnectionString(options));

    public static MongoClient Client(ScriptedMongoServer server, string? options, TimeProvider time)
    {
        var cs = MongoConnectionString.Parse(server.ConnectionString(options));
        return new MongoClient(cs, cs.Hosts[0], time);
    }

    /// <summary>An insert/update/delete reply counting the statements of the request's sequence.</summary>
    public static ScriptedResponse WriteOk(ScriptedRequest request, string sequence)
        => ScriptedResponse.Ok(new BsonDocument("n", request.Sequence(sequence).Count));

    /// <summary>A cursor reply (<c>firstBatch</c> or <c>nextBatch</c>).</summary>
    public static ScriptedResponse Cursor(long id, string ns, string batchField, params BsonDocument[] documents)
        => ScriptedResponse.Ok(new BsonDocument("cursor", new BsonDocument
        {
            { "id", id },
            { "ns", ns },
            { batchField, new BsonArray(documents) },
        }));

    public static BsonDocument Doc(int i) => new() { { "_id", i }, { "x", "value-" + i } };
}

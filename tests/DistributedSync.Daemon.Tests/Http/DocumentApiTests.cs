using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo.Configuration;

namespace DistributedSync.Daemon.Tests.Http;

public sealed class DocumentApiTests : IClassFixture<ApiHost>
{
    private readonly ApiHost _host;

    public DocumentApiTests(ApiHost host)
    {
        _host = host;
        _host.Engine.Reset();
    }

    [Fact]
    public async Task Insert_OneDocumentWithoutId_Returns201WithGeneratedObjectIdPositionAndLocation()
    {
        var (status, body, response) = await _host.PostAsync("/collections/users/documents", """{"name": "ann", "age": 31}""");

        Assert.Equal(201, status);
        var ids = body!.AsDocument["insertedIds"].AsArray;
        var id = Assert.Single(ids);
        Assert.Equal(BsonType.ObjectId, id.Type);
        Assert.Equal("""{"t":1,"i":1}""", body.AsDocument["position"].ToString());
        Assert.Equal($"/collections/users/documents/{id.AsObjectId}", response.Headers.Location?.OriginalString);

        var (operations, concern) = Assert.Single(_host.Engine.Writes);
        var insert = Assert.IsType<InsertOperation>(Assert.Single(operations));
        Assert.Equal("users", insert.Collection);
        Assert.Equal("_id", insert.Document.Names.First());
        Assert.Equal(id, insert.Document["_id"]);
        Assert.Equal(1, concern.W);
        Assert.Equal(TimeSpan.FromSeconds(10), concern.WTimeout);
    }

    [Fact]
    public async Task Insert_ArrayKeepsGivenIdsInOrder_AndPassesMajorityWriteConcern()
    {
        var (status, body, response) = await _host.PostAsync("/collections/users/documents?w=majority&wtimeoutMS=2500", """[{"_id": 7, "a": 1}, {"_id": "bob"}, {"b": 2}]""");

        Assert.Equal(201, status);
        var ids = body!.AsDocument["insertedIds"].AsArray;
        Assert.Equal(3, ids.Count);
        Assert.Equal(7, ids[0].ToInt64());
        Assert.Equal("bob", ids[1].AsString);
        Assert.Equal(BsonType.ObjectId, ids[2].Type);
        Assert.Null(response.Headers.Location);
        var (operations, concern) = Assert.Single(_host.Engine.Writes);
        Assert.Equal(3, operations.Count);
        Assert.Equal("majority", concern.WMode);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), concern.WTimeout);
    }

    [Fact]
    public async Task Insert_AcceptsExtendedJson_AndReadsComeBackAsRelaxedExtendedJson()
    {
        await _host.PostAsync("/collections/events/documents", """{"_id": {"$oid": "65f1c0ffee0000000000beef"}, "when": {"$date": "2024-05-01T10:00:00Z"}, "n": {"$numberLong": "5"}, "big": {"$numberLong": "9007199254740993"}}""");

        var (status, body, response) = await _host.GetAsync("/collections/events/documents/65f1c0ffee0000000000beef");

        Assert.Equal(200, status);
        var document = body!.AsDocument;
        Assert.Equal(BsonType.DateTime, document["when"].Type);
        Assert.Equal(5, document["n"].ToInt64());
        var raw = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"when\":{\"$date\":\"2024-05-01T10:00:00Z\"}", raw, StringComparison.Ordinal);
        Assert.Contains("\"n\":5", raw, StringComparison.Ordinal);
        Assert.Equal("2", response.Headers.GetValues("X-Served-By").Single());
    }

    [Theory]
    [InlineData("42", """{"_id": 42, "kind": "int"}""")]
    [InlineData("%2242%22", """{"_id": "42", "kind": "string"}""")]
    [InlineData("alice", """{"_id": "alice", "kind": "plain"}""")]
    [InlineData("%7B%22%24numberLong%22%3A%227%22%7D", """{"_id": {"$numberLong": "7"}, "kind": "long"}""")]
    public async Task Get_InterpretsTheIdSegment(string segment, string document)
    {
        await _host.PostAsync("/collections/ids/documents", document);

        var (status, body, _) = await _host.GetAsync("/collections/ids/documents/" + segment);

        Assert.Equal(200, status);
        var expected = DistributedSync.Bson.Json.ExtendedJson.Parse(document);
        Assert.Equal(expected["kind"], body!.AsDocument["kind"]);
        var (query, mode, staleness) = _host.Engine.Reads.Single();
        Assert.Equal(new BsonDocument("_id", expected["_id"]), query.Filter);
        Assert.Equal(1, query.Limit);
        Assert.Equal(ReadPreferenceMode.Primary, mode);
        Assert.Null(staleness);
    }

    [Fact]
    public async Task Get_MissingDocument_Is404()
    {
        var (status, body, _) = await _host.GetAsync("/collections/users/documents/nobody");

        Assert.Equal(404, status);
        Assert.Equal("notFound", body!.AsDocument["error"].AsString);
        Assert.Contains("nobody", body.AsDocument["message"].AsString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_PassesFilterLimitAndReadPreference()
    {
        await _host.PostAsync("/collections/users/documents", """[{"_id": 1, "city": "Oslo"}, {"_id": 2, "city": "Rome"}, {"_id": 3, "city": "Oslo"}]""");

        var filter = Uri.EscapeDataString("""{"city": "Oslo"}""");
        var (status, body, response) = await _host.GetAsync($"/collections/users/documents?filter={filter}&limit=1&readPreference=secondaryPreferred&maxStalenessMs=1500");

        Assert.Equal(200, status);
        var documents = body!.AsDocument["documents"].AsArray;
        Assert.Equal(1, Assert.Single(documents).AsDocument["_id"].ToInt64());
        var (query, mode, staleness) = _host.Engine.Reads.Single();
        Assert.Equal(new BsonDocument("city", "Oslo"), query.Filter);
        Assert.Equal(1, query.Limit);
        Assert.Equal(ReadPreferenceMode.SecondaryPreferred, mode);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), staleness);
        Assert.Equal("2", response.Headers.GetValues("X-Served-By").Single());
    }

    [Fact]
    public async Task List_Defaults_AreEmptyFilterLimit100Primary()
    {
        var (status, body, _) = await _host.GetAsync("/collections/empty/documents");

        Assert.Equal(200, status);
        Assert.Empty(body!.AsDocument["documents"].AsArray);
        var (query, mode, _) = _host.Engine.Reads.Single();
        Assert.Empty(query.Filter);
        Assert.Equal(100, query.Limit);
        Assert.Equal(ReadPreferenceMode.Primary, mode);
    }

    [Fact]
    public async Task Put_InsertsThenReplaces()
    {
        var (created, createdBody, response) = await _host.SendAsync(HttpMethod.Put, "/collections/users/documents/carol", """{"age": 40}""");
        Assert.Equal(201, created);
        Assert.Equal("carol", createdBody!.AsDocument["upsertedId"].AsString);
        Assert.Equal("/collections/users/documents/carol", response.Headers.Location?.OriginalString);

        var (replaced, replacedBody, _) = await _host.SendAsync(HttpMethod.Put, "/collections/users/documents/carol", """{"_id": "carol", "age": 41}""");
        Assert.Equal(200, replaced);
        Assert.Equal(1, replacedBody!.AsDocument["matchedCount"].ToInt64());
        Assert.Equal(1, replacedBody.AsDocument["modifiedCount"].ToInt64());
        Assert.False(replacedBody.AsDocument.Contains("upsertedId"));
        Assert.True(replacedBody.AsDocument.Contains("position"));

        var replace = Assert.IsType<ReplaceOperation>(_host.Engine.Writes.Last().Operations.Single());
        Assert.True(replace.Upsert);
        Assert.Equal(new BsonDocument { { "_id", "carol" }, { "age", 41 } }, replace.Replacement);
        var (_, body, _) = await _host.GetAsync("/collections/users/documents/carol");
        Assert.Equal(41, body!.AsDocument["age"].ToInt64());
    }

    [Fact]
    public async Task Patch_AppliesOperators_AndMissingDocumentIs404()
    {
        await _host.PostAsync("/collections/users/documents", """{"_id": "dan", "visits": 1, "temp": true}""");

        var (status, body, _) = await _host.SendAsync(HttpMethod.Patch, "/collections/users/documents/dan?w=majority", """{"$inc": {"visits": 2}, "$set": {"city": "Lima"}, "$unset": {"temp": ""}}""");

        Assert.Equal(200, status);
        Assert.Equal(1, body!.AsDocument["matchedCount"].ToInt64());
        Assert.Equal(1, body.AsDocument["modifiedCount"].ToInt64());
        var update = Assert.IsType<UpdateOperation>(_host.Engine.Writes.Last().Operations.Single());
        Assert.Equal("dan", update.Id.AsString);
        var (_, document, _) = await _host.GetAsync("/collections/users/documents/dan");
        Assert.Equal("""{"_id":"dan","visits":3,"city":"Lima"}""", document!.ToString());

        var (missing, missingBody, _) = await _host.SendAsync(HttpMethod.Patch, "/collections/users/documents/nobody", """{"$set": {"a": 1}}""");
        Assert.Equal(404, missing);
        Assert.Equal("notFound", missingBody!.AsDocument["error"].AsString);
    }

    [Fact]
    public async Task Delete_RemovesOnce_ThenIs404()
    {
        await _host.PostAsync("/collections/users/documents", """{"_id": 99}""");

        var (status, body, _) = await _host.SendAsync(HttpMethod.Delete, "/collections/users/documents/99");
        Assert.Equal(200, status);
        Assert.Equal(1, body!.AsDocument["deletedCount"].ToInt64());
        Assert.IsType<DeleteOperation>(_host.Engine.Writes.Last().Operations.Single());

        var (again, againBody, _) = await _host.SendAsync(HttpMethod.Delete, "/collections/users/documents/99");
        Assert.Equal(404, again);
        Assert.Equal("notFound", againBody!.AsDocument["error"].AsString);
    }
}

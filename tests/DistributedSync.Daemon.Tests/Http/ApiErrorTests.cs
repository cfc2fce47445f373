using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Tests.Support;

namespace DistributedSync.Daemon.Tests.Http;

/// <summary>Bad input is refused with {error, message} and never reaches the engine.</summary>
public sealed class ApiErrorTests : IClassFixture<ApiHost>
{
    private readonly ApiHost _host;

    public ApiErrorTests(ApiHost host)
    {
        _host = host;
        _host.Engine.Reset();
    }

    [Theory]
    [InlineData("{\"a\": ", "not valid JSON")]
    [InlineData("{'a': 1}", "not valid JSON")]
    [InlineData("{\"a\": 1,}", "not valid JSON")]
    [InlineData("\"just a string\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("[]", "empty array")]
    [InlineData("[{\"a\": 1}, 7]", "Element 1 of the body is a number")]
    [InlineData("   ", "empty")]
    public async Task Insert_MalformedBody_Is400InvalidBody(string json, string expected)
    {
        var (status, body, _) = await _host.PostAsync("/collections/users/documents", json);

        AssertError(status, body, 400, "invalidBody", expected);
    }

    [Theory]
    [InlineData("{\"$set\": {\"a\": 1}}", "cannot start with '$'")]
    [InlineData("{\"\": 1}", "empty name")]
    [InlineData("{\"_id\": [1, 2]}", "is an array")]
    [InlineData("{\"_id\": {\"$regularExpression\": {\"pattern\": \"a\", \"options\": \"\"}}}", "regular expression")]
    public async Task Insert_DocumentBreakingMongoRules_Is400(string json, string expected)
    {
        var (status, body, _) = await _host.PostAsync("/collections/users/documents", json);

        Assert.Equal(400, status);
        Assert.Contains(expected, body!.AsDocument["message"].AsString, StringComparison.Ordinal);
        Assert.Equal(0, _host.Engine.Calls);
    }

    [Fact]
    public async Task Insert_RepeatedIdInOneRequest_Is409WithoutCallingTheEngine()
    {
        var (status, body, _) = await _host.PostAsync("/collections/users/documents", """[{"_id": 1}, {"_id": 2}, {"_id": 1}]""");

        AssertError(status, body, 409, "duplicateKey", "Element 2");
        Assert.Empty(body!.AsDocument["insertedIds"].AsArray);
    }

    [Fact]
    public async Task Insert_IdAlreadyStoredInTheMiddleOfAnArray_Is409ListingTheDocumentsInsertedBeforeIt()
    {
        await _host.PostAsync("/collections/users/documents", """{"_id": "c"}""");

        var (status, body, _) = await _host.PostAsync("/collections/users/documents", """[{"_id": "a"}, {"_id": "b"}, {"_id": "c"}, {"_id": "d"}]""");

        AssertError(status, body, 409, "duplicateKey", "duplicate key", engineCalled: true);
        Assert.Equal(["a", "b"], body!.AsDocument["insertedIds"].AsArray.Select(v => v.AsString));
        Assert.True(body.AsDocument.Contains("position"));
    }

    [Fact]
    public async Task Insert_IdAlreadyStored_Is409FromTheEngine()
    {
        await _host.PostAsync("/collections/users/documents", """{"_id": "x"}""");

        var (status, body, _) = await _host.PostAsync("/collections/users/documents", """{"_id": "x"}""");

        Assert.Equal(409, status);
        Assert.Equal("duplicateKey", body!.AsDocument["error"].AsString);
        Assert.Equal(2, _host.Engine.Writes.Count);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=latin1")]
    public async Task Insert_NonJsonContentType_Is415(string contentType)
    {
        var (status, body, _) = await _host.SendAsync(HttpMethod.Post, "/collections/users/documents", "{\"a\": 1}", contentType);

        AssertError(status, body, 415, "unsupportedMediaType", contentType.Split(';')[^1].Trim().Replace("charset=", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Insert_WithoutContentType_IsAccepted()
    {
        var (status, _, _) = await _host.SendAsync(HttpMethod.Post, "/collections/users/documents", "{\"a\": 1}", contentType: null);

        Assert.Equal(201, status);
    }

    [Fact]
    public async Task Insert_OversizedBody_Is413()
    {
        var json = "{\"blob\": \"" + new string('x', (int)ApiHost.BodyLimit) + "\"}";

        var (status, body, _) = await _host.PostAsync("/collections/users/documents", json);

        AssertError(status, body, 413, "payloadTooLarge", "larger than");
    }

    [Fact]
    public async Task Insert_OversizedChunkedBody_Is413()
    {
        var json = "{\"blob\": \"" + new string('y', (int)ApiHost.BodyLimit) + "\"}";
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/collections/users/documents") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = DistributedSync.Bson.Json.ExtendedJson.ParseValue(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        AssertError((int)response.StatusCode, body, 413, "payloadTooLarge", "larger than");
    }

    [Theory]
    [InlineData("/collections/%24bad/documents")]
    [InlineData("/collections/system.users/documents")]
    [InlineData("/collections/.hidden/documents")]
    [InlineData("/collections/a%20b/documents")]
    public async Task BadCollectionName_Is400(string path)
    {
        var (status, body, _) = await _host.GetAsync(path);

        AssertError(status, body, 400, "invalidCollectionName", "not an allowed collection name");
    }

    [Fact]
    public async Task TooLongCollectionName_Is400()
    {
        var (status, body, _) = await _host.GetAsync("/collections/" + new string('c', 121) + "/documents");

        AssertError(status, body, 400, "invalidCollectionName", "at most 120");
    }

    [Theory]
    [InlineData("%5B1%2C2%5D", "is an array")]
    [InlineData("%7B%22%24gt%22%3A1%7D", "$-prefixed")]
    public async Task BadDocumentId_Is400InvalidId(string segment, string expected)
    {
        var (status, body, _) = await _host.GetAsync("/collections/users/documents/" + segment);

        AssertError(status, body, 400, "invalidId", expected);
    }

    [Theory]
    [InlineData("readPreference=fastest", "'readPreference' must be one of primary, primaryPreferred")]
    [InlineData("readPreference=secondary&maxStalenessMs=-5", "'maxStalenessMs' must be an integer >= 1")]
    [InlineData("readPreference=nearest&maxStalenessMs=soon", "'maxStalenessMs'")]
    [InlineData("maxStalenessMs=1000", "cannot be combined with readPreference=primary")]
    [InlineData("limit=-1", "'limit' must be an integer from 1 to 10000 (got '-1')")]
    [InlineData("limit=0", "'limit'")]
    [InlineData("limit=10001", "'limit'")]
    [InlineData("limit=ten", "'limit'")]
    [InlineData("filter=%7Bbroken", "'filter' is not a JSON object")]
    [InlineData("filter=%5B1%5D", "'filter' is not a JSON object")]
    [InlineData("readPrefrence=secondary", "Unknown query parameter 'readPrefrence'")]
    [InlineData("limit=1&limit=2", "'limit' is given 2 times")]
    [InlineData("w=majority", "Unknown query parameter 'w'")]
    public async Task List_BadQueryParameter_Is400NamingIt(string query, string expected)
    {
        var (status, body, _) = await _host.GetAsync("/collections/users/documents?" + query);

        AssertError(status, body, 400, "invalidParameter", expected);
    }

    [Theory]
    [InlineData("w=2", "'w' must be 1 or majority (got '2')")]
    [InlineData("w=all", "'w' must be 1 or majority")]
    [InlineData("wtimeoutMS=-1", "'wtimeoutMS' must be an integer >= 0")]
    [InlineData("readPreference=secondary", "Unknown query parameter 'readPreference'")]
    public async Task Write_BadQueryParameter_Is400NamingIt(string query, string expected)
    {
        var (status, body, _) = await _host.PostAsync("/collections/users/documents?" + query, "{\"a\": 1}");

        AssertError(status, body, 400, "invalidParameter", expected);
    }

    [Fact]
    public async Task ReadPreference_IsCaseInsensitive()
    {
        var (status, _, _) = await _host.GetAsync("/collections/users/documents?readPreference=SECONDARY");

        Assert.Equal(200, status);
        Assert.Equal(DistributedSync.Mongo.Configuration.ReadPreferenceMode.Secondary, _host.Engine.Reads.Single().Mode);
    }

    [Theory]
    [InlineData("{}", "empty")]
    [InlineData("{\"name\": \"x\"}", "plain field 'name'")]
    [InlineData("{\"$push2\": {\"a\": 1}}", "Unknown update operator '$push2'")]
    [InlineData("{\"$set\": 5}", "must be a non-empty object")]
    [InlineData("{\"$set\": {}}", "must be a non-empty object")]
    [InlineData("{\"$set\": {\"_id\": 5}}", "_id is immutable")]
    [InlineData("{\"$unset\": {\"_id.x\": 1}}", "_id is immutable")]
    [InlineData("{\"$inc\": {\"n\": \"1\"}}", "needs a number")]
    [InlineData("{\"$rename\": {\"a\": 3}}", "non-empty string")]
    [InlineData("{\"$set\": {\"a..b\": 1}}", "empty part")]
    [InlineData("[{\"$set\": {\"a\": 1}}]", "must be a JSON object, not an array")]
    public async Task Patch_BadUpdate_Is400(string json, string expected)
    {
        var (status, body, _) = await _host.SendAsync(HttpMethod.Patch, "/collections/users/documents/u1", json);

        Assert.Equal(400, status);
        Assert.Contains(expected, body!.AsDocument["message"].AsString, StringComparison.Ordinal);
        Assert.Equal(0, _host.Engine.Calls);
    }

    [Theory]
    [InlineData("{\"_id\": \"other\", \"a\": 1}", "differs from the id in the path")]
    [InlineData("{\"$set\": {\"a\": 1}}", "cannot start with '$'")]
    [InlineData("[1]", "must be a JSON object")]
    public async Task Put_BadReplacement_Is400(string json, string expected)
    {
        var (status, body, _) = await _host.SendAsync(HttpMethod.Put, "/collections/users/documents/u1", json);

        Assert.Equal(400, status);
        Assert.Contains(expected, body!.AsDocument["message"].AsString, StringComparison.Ordinal);
        Assert.Equal(0, _host.Engine.Calls);
    }

    [Fact]
    public async Task NoMaster_Is503WithRetryAfter()
    {
        _host.Engine.Failure = new SyncEngineException(SyncErrorKind.NoMaster, "no master in term 4", TimeSpan.FromMilliseconds(4200));

        var (status, body, response) = await _host.PostAsync("/collections/users/documents", "{\"a\": 1}");

        AssertError(status, body, 503, "noMaster", "no master in term 4", engineCalled: true);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task WriteConcernNotMet_Is503WithPositionAndDefaultRetryAfter()
    {
        _host.Engine.Failure = new SyncEngineException(SyncErrorKind.WriteConcernFailed, "majority not reached in 2500 ms", position: new OplogPosition(3, 17));

        var (status, body, response) = await _host.SendAsync(HttpMethod.Delete, "/collections/users/documents/a?w=majority&wtimeoutMS=2500");

        AssertError(status, body, 503, "writeConcernFailed", "majority not reached", engineCalled: true);
        Assert.Equal("""{"t":3,"i":17}""", body!.AsDocument["position"].ToString());
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task NoEligibleNode_OnRead_Is503()
    {
        _host.Engine.Failure = new SyncEngineException(SyncErrorKind.NoEligibleNode, "no secondary within 100 ms of the master");

        var (status, body, response) = await _host.GetAsync("/collections/users/documents?readPreference=secondary&maxStalenessMs=100");

        AssertError(status, body, 503, "noEligibleNode", "no secondary", engineCalled: true);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task EngineBadValue_Is400BadValue()
    {
        _host.Engine.Failure = new SyncEngineException(SyncErrorKind.BadValue, "Cannot apply $inc to a value of non-numeric type");

        var (status, body, _) = await _host.SendAsync(HttpMethod.Patch, "/collections/users/documents/u1", "{\"$inc\": {\"name\": 1}}");

        AssertError(status, body, 400, "badValue", "non-numeric", engineCalled: true);
    }

    [Fact]
    public async Task UnexpectedEngineFailure_Is500WithoutDetails_AndIsLogged()
    {
        _host.Engine.Crash = new InvalidOperationException("secret internal detail");

        var (status, body, _) = await _host.GetAsync("/collections/users/documents/u1");

        AssertError(status, body, 500, "internalError", "daemon's log", engineCalled: true);
        Assert.DoesNotContain("secret internal detail", body!.ToString(), StringComparison.Ordinal);
        Assert.Contains(_host.Logs.Entries, e => e.EventId.Id == 5004 && e.Message.Contains("/collections/users/documents/u1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownRoute_Is404Json_AndWrongMethodIs405Json()
    {
        var (missing, missingBody, _) = await _host.GetAsync("/nothing/here");
        AssertError(missing, missingBody, 404, "notFound", "/nothing/here");

        var (wrong, wrongBody, _) = await _host.SendAsync(HttpMethod.Delete, "/status");
        AssertError(wrong, wrongBody, 405, "methodNotAllowed", "DELETE");
    }

    [Fact]
    public async Task RejectedRequests_AreLoggedWithTheirEventId()
    {
        await _host.GetAsync("/collections/users/documents?limit=-3");

        Assert.Contains(_host.Logs.Entries, e => e.EventId.Id == 5002 && e.Message.Contains("400 invalidParameter", StringComparison.Ordinal));
    }

    private void AssertError(int status, BsonValue? body, int expectedStatus, string error, string messagePart, bool engineCalled = false)
    {
        Assert.Equal(expectedStatus, status);
        Assert.NotNull(body);
        var document = body.AsDocument;
        Assert.Equal(error, document["error"].AsString);
        Assert.Contains(messagePart, document["message"].AsString, StringComparison.Ordinal);
        if (!engineCalled)
        {
            Assert.Equal(0, _host.Engine.Calls);
        }
    }
}

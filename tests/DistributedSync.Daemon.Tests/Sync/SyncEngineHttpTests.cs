using System.Text;
using DistributedSync.Bson;
using DistributedSync.Bson.Json;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>The daemon's HTTP API over the real engine (registered as Program.cs does) and three nodes (see <see cref="HttpDaemon"/>).</summary>
public sealed class SyncEngineHttpTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Http_writes_reach_both_slaves_and_status_shows_the_master()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var daemon = await HttpDaemon.StartAsync();
        var http = daemon.Http;
        BsonDocument status = new();
        await Wait.UntilAsync(
            () =>
            {
                status = (BsonDocument)ExtendedJson.ParseValue(http.GetStringAsync("/status", ct).GetAwaiter().GetResult());
                return status["masterId"] is BsonInt32 { Value: 3 };
            },
            Deadline,
            "/status names node 3 as master");
        Assert.True(status["term"].ToInt64() >= 1);

        Assert.Equal(200, await PostAsync(http, "/set?w=majority", "{\"key\":\"k\",\"value\":42}"));
        Assert.Equal(201, await PostAsync(http, "/collections/people/documents?w=majority", "{\"_id\":\"p1\",\"name\":\"ann\"}"));
        Assert.Equal(409, await PostAsync(http, "/collections/people/documents", "{\"_id\":\"p1\",\"name\":\"bob\"}"));
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, "/collections/people/documents/p1?w=majority") { Content = new StringContent("{\"$set\":{\"age\":5}}", Encoding.UTF8, "application/json") })
        {
            using var response = await http.SendAsync(patch, ct);
            Assert.Equal(200, (int)response.StatusCode);
        }

        var fromSlave = (BsonDocument)ExtendedJson.ParseValue(await http.GetStringAsync("/get/k?readPreference=secondary", ct));
        Assert.Equal(42, fromSlave["value"].ToInt64());
        foreach (var slave in new[] { 0, 1 })
        {
            await Wait.UntilAsync(
                () => ReadPeople(daemon.Clients[slave]) == "{\"_id\":\"p1\",\"name\":\"ann\",\"age\":5}",
                Deadline,
                $"node {slave + 1} holds the patched document");
        }

        Assert.Equal("{\"_id\":\"p1\",\"name\":\"ann\",\"age\":5}", ReadPeople(daemon.Clients[2]));
        await daemon.AssertSlavesMatchMasterAsync();
    }

    [Theory]
    [InlineData("1")]
    [InlineData("majority")]
    public async Task An_array_insert_refused_at_its_third_document_keeps_and_reports_the_first_two(string w)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var daemon = await HttpDaemon.StartAsync();
        await Wait.UntilAsync(() => daemon.Engine.GetStatus().MasterId == 3, Deadline, "node 3 is master");
        Assert.Equal(201, await PostAsync(daemon.Http, "/collections/batch/documents?w=majority", "{\"_id\":\"c\",\"v\":\"old\"}"));

        using var content = new StringContent("[{\"_id\":\"a\"},{\"_id\":\"b\"},{\"_id\":\"c\",\"v\":\"new\"},{\"_id\":\"d\"},{\"_id\":\"e\"}]", Encoding.UTF8, "application/json");
        using var response = await daemon.Http.PostAsync($"/collections/batch/documents?w={w}", content, ct);

        Assert.Equal(409, (int)response.StatusCode);
        var body = (BsonDocument)ExtendedJson.ParseValue(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal("duplicateKey", body["error"].AsString);
        Assert.Contains("Operation 2 of 5", body["message"].AsString, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], body["insertedIds"].AsArray.Select(v => v.AsString));
        var position = body["position"].AsDocument;
        Assert.True(position["i"].ToInt64() > 0);
        var stored = (await daemon.ReadAllAsync(3, "batch")).Select(d => d.ToString());
        Assert.Equal(["{\"_id\":\"a\"}", "{\"_id\":\"b\"}", "{\"_id\":\"c\",\"v\":\"old\"}"], stored);
        await daemon.AssertSlavesMatchMasterAsync();
    }

    private static async Task<int> PostAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content, TestContext.Current.CancellationToken);
        return (int)response.StatusCode;
    }

    private static string ReadPeople(MongoClient client)
    {
        var doc = client.GetDatabase("app").GetCollection("people").FindOneAsync(new BsonDocument("_id", "p1"), null, TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        return doc?.ToString() ?? "(none)";
    }
}

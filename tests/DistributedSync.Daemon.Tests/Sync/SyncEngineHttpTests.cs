using System.Globalization;
using System.Text;
using DistributedSync.Bson;
using DistributedSync.Bson.Json;
using DistributedSync.Daemon.Hosting;
using DistributedSync.Daemon.Sync;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo;
using DistributedSync.TestKit.Processes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace DistributedSync.Daemon.Tests.Sync;

/// <summary>The daemon's HTTP API over the real engine (registered as Program.cs does) and three emulator nodes.</summary>
public sealed class SyncEngineHttpTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Http_writes_reach_both_slaves_and_status_shows_the_master()
    {
        var ct = TestContext.Current.CancellationToken;
        var nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => EmulatorProcess.StartAsync(null, ct)));
        var clients = nodes.Select(n => new MongoClient(n.ConnectionString)).ToList();
        var settings = new Dictionary<string, string?>
        {
            ["DistributedSync:Embedded:Enabled"] = "false",
            ["DistributedSync:Http:Urls"] = "http://127.0.0.1:0",
            ["DistributedSync:Election:HeartbeatIntervalMs"] = "100",
            ["DistributedSync:Election:FailureTimeoutMs"] = "1000",
            ["DistributedSync:Replication:OplogSizeMB"] = "16",
        };
        for (var i = 0; i < 3; i++)
        {
            settings[$"DistributedSync:Nodes:{i}:Id"] = (i + 1).ToString(CultureInfo.InvariantCulture);
            settings[$"DistributedSync:Nodes:{i}:Name"] = "n" + (i + 1).ToString(CultureInfo.InvariantCulture);
            settings[$"DistributedSync:Nodes:{i}:Uri"] = nodes[i].ConnectionString;
        }

        var app = DaemonApplication.Build([], builder =>
        {
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.AddSyncEngine();
        });
        try
        {
            await app.StartAsync(ct);
            using var http = new HttpClient { BaseAddress = new Uri(DaemonApplication.ListeningAddresses(app).Single()) };
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
                    () => ReadPeople(clients[slave]) == "{\"_id\":\"p1\",\"name\":\"ann\",\"age\":5}",
                    Deadline,
                    $"node {slave + 1} holds the patched document");
            }

            Assert.Equal("{\"_id\":\"p1\",\"name\":\"ann\",\"age\":5}", ReadPeople(clients[2]));
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
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

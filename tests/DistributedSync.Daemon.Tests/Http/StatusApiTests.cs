using DistributedSync.Bson;
using DistributedSync.Daemon.Engine;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo.Configuration;

namespace DistributedSync.Daemon.Tests.Http;

public sealed class StatusApiTests : IClassFixture<ApiHost>
{
    private readonly ApiHost _host;

    public StatusApiTests(ApiHost host)
    {
        _host = host;
        _host.Engine.Reset();
    }

    [Fact]
    public async Task Status_ShowsTermMasterAndEveryNode_WithPasswordsRedacted()
    {
        _host.Engine.Status = new ClusterStatus(7, 3,
        [
            new ClusterNodeStatus(1, "alpha", MongoConnectionString.Parse($"mongodb://admin:{TestSettings.SecretPassword}@127.0.0.1:27017/?authSource=admin"), Alive: false, NodeRole.Down, 5, new OplogPosition(5, 40), 12, "unreachable"),
            new ClusterNodeStatus(2, "beta", MongoConnectionString.Parse("mongodb://127.0.0.1:27018/"), Alive: true, NodeRole.RollingBack, 7, new OplogPosition(6, 51), 3, "rollingBack"),
            new ClusterNodeStatus(3, "gamma", MongoConnectionString.Parse("mongodb://127.0.0.1:27019/"), Alive: true, NodeRole.Master, 7, new OplogPosition(7, 52), 0, "master"),
        ]);

        var (status, body, response) = await _host.GetAsync("/status");

        Assert.Equal(200, status);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var doc = body!.AsDocument;
        Assert.Equal(7, doc["term"].ToInt64());
        Assert.Equal(3, doc["masterId"].ToInt64());
        var nodes = doc["nodes"].AsArray;
        Assert.Equal(3, nodes.Count);
        var alpha = nodes[0].AsDocument;
        Assert.Equal(1, alpha["id"].ToInt64());
        Assert.Equal("alpha", alpha["name"].AsString);
        Assert.Equal("mongodb://admin:****@127.0.0.1:27017/?authSource=admin", alpha["uri"].AsString);
        Assert.False(alpha["alive"].AsBoolean);
        Assert.Equal("down", alpha["role"].AsString);
        Assert.Equal(5, alpha["term"].ToInt64());
        Assert.Equal("""{"t":5,"i":40}""", alpha["applied"].ToString());
        Assert.Equal(12, alpha["lagOps"].ToInt64());
        Assert.Equal("unreachable", alpha["state"].AsString);
        Assert.Equal(["down", "rollingBack", "master"], nodes.Select(n => n.AsDocument["role"].AsString));
        Assert.DoesNotContain(TestSettings.SecretPassword, body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_WithoutMaster_HasNullMasterId_AndAllRoleNames()
    {
        var roles = new[] { NodeRole.Slave, NodeRole.Resyncing, NodeRole.Down };
        _host.Engine.Status = new ClusterStatus(2, null, [.. roles.Select((r, i) => new ClusterNodeStatus(i + 1, "n" + i, MongoConnectionString.Parse($"mongodb://127.0.0.1:{27017 + i}/"), true, r, 2, OplogPosition.Zero, 0, "x"))]);

        var (status, body, _) = await _host.GetAsync("/status");

        Assert.Equal(200, status);
        Assert.True(body!.AsDocument["masterId"].IsNull);
        Assert.Equal(["slave", "resyncing", "down"], body.AsDocument["nodes"].AsArray.Select(n => n.AsDocument["role"].AsString));
    }

    [Fact]
    public async Task Status_RefusesQueryParameters()
    {
        var (status, body, _) = await _host.GetAsync("/status?verbose=1");

        Assert.Equal(400, status);
        Assert.Equal("invalidParameter", body!.AsDocument["error"].AsString);
        Assert.Contains("'verbose'", body.AsDocument["message"].AsString, StringComparison.Ordinal);
    }
}

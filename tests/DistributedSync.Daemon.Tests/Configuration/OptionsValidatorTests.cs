using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Tests.Support;

namespace DistributedSync.Daemon.Tests.Configuration;

public sealed class OptionsValidatorTests
{
    private static readonly DistributedSyncOptionsValidator Validator = new();

    [Fact]
    public void ValidOptions_Pass()
    {
        var result = Validator.Validate(null, TestSettings.ValidOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void FiveNodesWithDefaults_Pass()
    {
        var options = TestSettings.ValidOptions();
        options.Nodes.Add(new NodeOptions { Id = 4, Name = "node4", Uri = "mongodb://10.0.0.4:27017" });
        options.Nodes.Add(new NodeOptions { Id = 9, Name = "node-9.b_x", Uri = "mongodb://db9.example:27017/?connectTimeoutMS=2000" });

        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void NodeCount_MustBeAtLeastThreeAndOdd(int count)
    {
        var options = new DistributedSyncOptions();
        for (var i = 1; i <= count; i++)
        {
            options.Nodes.Add(new NodeOptions { Id = i, Name = "n" + i, Uri = $"mongodb://127.0.0.1:{27000 + i}" });
        }

        AssertFails(options, $"DistributedSync:Nodes: {count} node(s) configured; at least 3 are needed, and an odd count");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    public void NodeId_MustBePositive(int id)
    {
        var options = TestSettings.ValidOptions();
        options.Nodes[1].Id = id;

        AssertFails(options, $"DistributedSync:Nodes:1:Id: must be a positive integer (got {id}).");
    }

    [Fact]
    public void NodeIds_MustBeUnique()
    {
        var options = TestSettings.ValidOptions();
        options.Nodes[2].Id = 1;

        AssertFails(options, "DistributedSync:Nodes:2:Id: 1 is already the id of DistributedSync:Nodes:0");
    }

    [Theory]
    [InlineData("", "DistributedSync:Nodes:0:Name: is required.")]
    [InlineData("node 1", "DistributedSync:Nodes:0:Name: 'node 1' is not a valid node name")]
    [InlineData("../x", "DistributedSync:Nodes:0:Name: '../x' is not a valid node name")]
    [InlineData(".hidden", "is not a valid node name")]
    public void NodeName_MustBeASafeName(string name, string expected)
    {
        var options = TestSettings.ValidOptions();
        options.Nodes[0].Name = name;

        AssertFails(options, expected);
    }

    [Fact]
    public void NodeNames_MustBeUniqueIgnoringCase()
    {
        var options = TestSettings.ValidOptions();
        options.Nodes[1].Name = "NODE1";

        AssertFails(options, "DistributedSync:Nodes:1:Name: 'NODE1' is already the name of DistributedSync:Nodes:0");
    }

    [Theory]
    [InlineData("", "DistributedSync:Nodes:1:Uri: is required")]
    [InlineData("http://127.0.0.1:27018", "DistributedSync:Nodes:1:Uri: not a valid mongodb:// connection string")]
    [InlineData("mongodb://127.0.0.1:99999", "DistributedSync:Nodes:1:Uri: not a valid mongodb:// connection string")]
    [InlineData("mongodb+srv://cluster.example.com", "DistributedSync:Nodes:1:Uri: 'mongodb+srv://cluster.example.com' uses mongodb+srv://")]
    [InlineData("mongodb://127.0.0.1:27018,127.0.0.1:27020", "names 2 hosts; each node is one standalone server")]
    public void NodeUri_MustBeOneStandaloneMongodbServer(string uri, string expected)
    {
        var options = TestSettings.ValidOptions();
        options.Nodes[1].Uri = uri;

        AssertFails(options, expected);
    }

    [Fact]
    public void NodeUri_ErrorNeverShowsThePassword()
    {
        var options = TestSettings.ValidOptions();
        options.Nodes[0].Uri = "mongodb://admin:hunter2secret@127.0.0.1:27017,/?authSource=admin";

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("DistributedSync:Nodes:0:Uri:", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeUris_MustNameDifferentServers()
    {
        var options = TestSettings.ValidOptions();
        options.Nodes[2].Uri = "mongodb://user:pw@127.0.0.1:27117/?appName=x";

        AssertFails(options, "DistributedSync:Nodes:2:Uri: names the same server (127.0.0.1:27117) as DistributedSync:Nodes:0:Uri");
    }

    [Fact]
    public void Embedded_NodesMustBeLoopback()
    {
        var options = TestSettings.ValidOptions();
        options.Embedded.Enabled = true;
        options.Nodes[1].Uri = "mongodb://db.example.com:27118";

        AssertFails(options, "DistributedSync:Nodes:1:Uri: 'mongodb://db.example.com:27118' is not on this machine; with DistributedSync:Embedded:Enabled=true");
    }

    [Fact]
    public void Embedded_PortsMustDifferEvenAcrossLoopbackNames()
    {
        var options = TestSettings.ValidOptions();
        options.Embedded.Enabled = true;
        options.Nodes[1].Uri = "mongodb://localhost:27117";

        AssertFails(options, "DistributedSync:Nodes:1:Uri: names the same server (port 27117) as DistributedSync:Nodes:0:Uri");
    }

    [Fact]
    public void Embedded_AcceptsLocalhostAndIpv6Loopback()
    {
        var options = TestSettings.ValidOptions();
        options.Embedded.Enabled = true;
        options.Nodes[1].Uri = "mongodb://localhost:27118";
        options.Nodes[2].Uri = "mongodb://[::1]:27119";

        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("", 1000, 10, "DistributedSync:Embedded:DataDirectory: is required when DistributedSync:Embedded:Enabled is true.")]
    [InlineData("data", 0, 10, "DistributedSync:Embedded:StartTimeoutMs: must be positive (got 0).")]
    [InlineData("data", 1000, -1, "DistributedSync:Embedded:StopGraceMs: must not be negative (got -1).")]
    public void Embedded_Settings(string dataDirectory, int startTimeoutMs, int stopGraceMs, string expected)
    {
        var options = TestSettings.ValidOptions();
        options.Embedded.Enabled = true;
        options.Embedded.DataDirectory = dataDirectory;
        options.Embedded.StartTimeoutMs = startTimeoutMs;
        options.Embedded.StopGraceMs = stopGraceMs;

        AssertFails(options, expected);
    }

    [Theory]
    [InlineData("", "distsync", "DistributedSync:Database: is required.")]
    [InlineData("my.db", "distsync", "DistributedSync:Database: 'my.db' is not a valid MongoDB database name")]
    [InlineData("app", "dist sync", "DistributedSync:MetadataDatabase: 'dist sync' is not a valid MongoDB database name")]
    [InlineData("admin", "distsync", "DistributedSync:Database: 'admin' is reserved by MongoDB.")]
    [InlineData("app", "APP", "DistributedSync:MetadataDatabase: 'APP' is also DistributedSync:Database")]
    public void Databases(string database, string metadata, string expected)
    {
        var options = TestSettings.ValidOptions();
        options.Database = database;
        options.MetadataDatabase = metadata;

        AssertFails(options, expected);
    }

    [Theory]
    [InlineData(0, 5000, "DistributedSync:Election:HeartbeatIntervalMs: must be positive (got 0).")]
    [InlineData(1000, -1, "DistributedSync:Election:FailureTimeoutMs: must be positive (got -1).")]
    [InlineData(1000, 1000, "DistributedSync:Election:FailureTimeoutMs: 1000 must be greater than DistributedSync:Election:HeartbeatIntervalMs (1000)")]
    [InlineData(2000, 1500, "DistributedSync:Election:FailureTimeoutMs: 1500 must be greater than DistributedSync:Election:HeartbeatIntervalMs (2000)")]
    public void Election(int heartbeat, int failure, string expected)
    {
        var options = TestSettings.ValidOptions();
        options.Election.HeartbeatIntervalMs = heartbeat;
        options.Election.FailureTimeoutMs = failure;

        AssertFails(options, expected);
    }

    [Theory]
    [InlineData(0, 500, "DistributedSync:Replication:OplogSizeMB: must be between 1 and 1048576 (got 0).")]
    [InlineData(256, 0, "DistributedSync:Replication:BatchSize: must be between 1 and 100000 (got 0).")]
    [InlineData(256, 100001, "DistributedSync:Replication:BatchSize: must be between 1 and 100000 (got 100001).")]
    public void Replication(int oplogSizeMb, int batchSize, string expected)
    {
        var options = TestSettings.ValidOptions();
        options.Replication.OplogSizeMB = oplogSizeMb;
        options.Replication.BatchSize = batchSize;

        AssertFails(options, expected);
    }

    [Theory]
    [InlineData("", "DistributedSync:Http:Urls: is required")]
    [InlineData("127.0.0.1:5080", "DistributedSync:Http:Urls: '127.0.0.1:5080' is not an http:// or https:// address")]
    [InlineData("ftp://127.0.0.1:5080", "'ftp://127.0.0.1:5080' is not an http:// or https:// address")]
    [InlineData("http://127.0.0.1:5080/api", "'http://127.0.0.1:5080/api' is not an http:// or https:// address")]
    public void Http_Urls(string urls, string expected)
    {
        var options = TestSettings.ValidOptions();
        options.Http.Urls = urls;

        AssertFails(options, expected);
    }

    [Fact]
    public void Http_SeveralUrlsSeparatedBySemicolons_Pass()
    {
        var options = TestSettings.ValidOptions();
        options.Http.Urls = "http://127.0.0.1:5080; http://[::1]:5080";

        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.Equal(["http://127.0.0.1:5080", "http://[::1]:5080"], options.Http.UrlList());
    }

    [Fact]
    public void Http_BodyLimitMustBePositive()
    {
        var options = TestSettings.ValidOptions();
        options.Http.MaxRequestBodyBytes = 0;

        AssertFails(options, "DistributedSync:Http:MaxRequestBodyBytes: must be between 1 and 1073741824 (got 0).");
    }

    [Fact]
    public void EveryFailureIsReported()
    {
        var options = TestSettings.ValidOptions();
        options.Nodes[0].Id = 0;
        options.Election.HeartbeatIntervalMs = -1;
        options.Http.Urls = "nope";

        var result = Validator.Validate(null, options);

        Assert.Equal(3, result.Failures!.Count());
    }

    private static void AssertFails(DistributedSyncOptions options, string expected)
    {
        var result = Validator.Validate(null, options);
        Assert.True(result.Failed, "expected a failure containing: " + expected);
        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }
}

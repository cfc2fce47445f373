using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Tests.Support;

namespace DistributedSync.Daemon.Tests.Configuration;

public sealed class OptionsBinderTests
{
    [Fact]
    public void Bind_ReadsEveryKey()
    {
        var settings = TestSettings.Valid();
        settings["DistributedSync:Embedded:Enabled"] = "True";
        settings["DistributedSync:Embedded:DataDirectory"] = "/var/lib/distsync";
        settings["DistributedSync:Embedded:StartTimeoutMs"] = "1234";
        settings["DistributedSync:Embedded:StopGraceMs"] = "99";
        settings["DistributedSync:Embedded:EmulatorPath"] = "/opt/emu.dll";
        settings["DistributedSync:Database"] = "shop";
        settings["DistributedSync:MetadataDatabase"] = "shopmeta";
        settings["DistributedSync:Election:HeartbeatIntervalMs"] = "250";
        settings["DistributedSync:Election:FailureTimeoutMs"] = "900";
        settings["DistributedSync:Election:TakeoverEnabled"] = "false";
        settings["DistributedSync:Replication:OplogSizeMB"] = "64";
        settings["DistributedSync:Replication:BatchSize"] = "50";
        settings["DistributedSync:Http:Urls"] = "http://0.0.0.0:8080";
        settings["DistributedSync:Http:MaxRequestBodyBytes"] = "1024";

        var options = TestSettings.Bind(settings);

        Assert.Empty(options.ConfigurationErrors);
        Assert.Equal([1, 2, 3], options.Nodes.Select(n => n.Id));
        Assert.Equal(["alpha", "beta", "gamma"], options.Nodes.Select(n => n.Name));
        Assert.Equal("mongodb://127.0.0.1:27018/", options.Nodes[1].Uri);
        Assert.True(options.Embedded.Enabled);
        Assert.Equal("/var/lib/distsync", options.Embedded.DataDirectory);
        Assert.Equal(1234, options.Embedded.StartTimeoutMs);
        Assert.Equal(99, options.Embedded.StopGraceMs);
        Assert.Equal("/opt/emu.dll", options.Embedded.EmulatorPath);
        Assert.Equal("shop", options.Database);
        Assert.Equal("shopmeta", options.MetadataDatabase);
        Assert.Equal(250, options.Election.HeartbeatIntervalMs);
        Assert.Equal(900, options.Election.FailureTimeoutMs);
        Assert.False(options.Election.TakeoverEnabled);
        Assert.Equal(64, options.Replication.OplogSizeMB);
        Assert.Equal(50, options.Replication.BatchSize);
        Assert.Equal("http://0.0.0.0:8080", options.Http.Urls);
        Assert.Equal(1024, options.Http.MaxRequestBodyBytes);
    }

    [Fact]
    public void Bind_AbsentKeysKeepTheDocumentedDefaults()
    {
        var options = TestSettings.Bind(new Dictionary<string, string?>());

        Assert.Empty(options.Nodes);
        Assert.False(options.Embedded.Enabled);
        Assert.Equal("data", options.Embedded.DataDirectory);
        Assert.Equal(30_000, options.Embedded.StartTimeoutMs);
        Assert.Equal(10_000, options.Embedded.StopGraceMs);
        Assert.Null(options.Embedded.EmulatorPath);
        Assert.Equal("app", options.Database);
        Assert.Equal("distsync", options.MetadataDatabase);
        Assert.Equal(250, options.Election.HeartbeatIntervalMs);
        Assert.Equal(2000, options.Election.FailureTimeoutMs);
        Assert.True(options.Election.TakeoverEnabled);
        Assert.Equal(256, options.Replication.OplogSizeMB);
        Assert.Equal(500, options.Replication.BatchSize);
        Assert.Equal("http://127.0.0.1:5080", options.Http.Urls);
        Assert.Equal(16 * 1024 * 1024, options.Http.MaxRequestBodyBytes);
    }

    [Theory]
    [InlineData("DistributedSync:Election:HeartbeatInterval", "100", "DistributedSync:Election:HeartbeatInterval: unknown key (the keys of DistributedSync:Election are: FailureTimeoutMs, HeartbeatIntervalMs, TakeoverEnabled).")]
    [InlineData("DistributedSync:Nodes:1:Port", "1", "DistributedSync:Nodes:1:Port: unknown key")]
    [InlineData("DistributedSync:Election:HeartbeatIntervalMs", "fast", "DistributedSync:Election:HeartbeatIntervalMs: 'fast' is not an integer.")]
    [InlineData("DistributedSync:Http:MaxRequestBodyBytes", "1.5", "DistributedSync:Http:MaxRequestBodyBytes: '1.5' is not an integer.")]
    [InlineData("DistributedSync:Election:TakeoverEnabled", "yes", "DistributedSync:Election:TakeoverEnabled: 'yes' is not true or false.")]
    [InlineData("DistributedSync:Nodes:0:Id", "one", "DistributedSync:Nodes:0:Id: 'one' is not an integer.")]
    [InlineData("DistributedSync:Election", "5", "DistributedSync:Election: is a group of settings, not a single value.")]
    [InlineData("DistributedSync:Nodes:x:Id", "4", "DistributedSync:Nodes:x: list entries are numbered 0, 1, 2")]
    public void Bind_BadKeysAndValues_AreReportedByTheValidatorWithTheFullKey(string key, string value, string expected)
    {
        var settings = TestSettings.Valid();
        settings[key] = value;

        var options = TestSettings.Bind(settings);
        var result = new DistributedSyncOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_KeysAreCaseInsensitive_LikeEnvironmentVariables()
    {
        var settings = TestSettings.Valid();
        settings["distributedsync:election:heartbeatintervalms"] = "300";

        var options = TestSettings.Bind(settings);

        Assert.Empty(options.ConfigurationErrors);
        Assert.Equal(300, options.Election.HeartbeatIntervalMs);
    }
}

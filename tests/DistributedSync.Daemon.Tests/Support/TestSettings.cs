using DistributedSync.Daemon.Configuration;
using Microsoft.Extensions.Configuration;

namespace DistributedSync.Daemon.Tests.Support;

/// <summary>Configurations for tests.</summary>
internal static class TestSettings
{
    public const string SecretPassword = "s3cr3t-Pa55";

    /// <summary>A valid configuration: three nodes (one with a password), embedded off, HTTP on an ephemeral port.</summary>
    public static Dictionary<string, string?> Valid() => new()
    {
        ["DistributedSync:Nodes:0:Id"] = "1",
        ["DistributedSync:Nodes:0:Name"] = "alpha",
        ["DistributedSync:Nodes:0:Uri"] = $"mongodb://admin:{SecretPassword}@127.0.0.1:27017/?authSource=admin",
        ["DistributedSync:Nodes:1:Id"] = "2",
        ["DistributedSync:Nodes:1:Name"] = "beta",
        ["DistributedSync:Nodes:1:Uri"] = "mongodb://127.0.0.1:27018/",
        ["DistributedSync:Nodes:2:Id"] = "3",
        ["DistributedSync:Nodes:2:Name"] = "gamma",
        ["DistributedSync:Nodes:2:Uri"] = "mongodb://127.0.0.1:27019/",
        ["DistributedSync:Embedded:Enabled"] = "false",
        ["DistributedSync:Http:Urls"] = "http://127.0.0.1:0",
    };

    /// <summary>Options built in code that pass validation.</summary>
    public static DistributedSyncOptions ValidOptions()
    {
        var options = new DistributedSyncOptions();
        options.Nodes.Add(new NodeOptions { Id = 1, Name = "node1", Uri = "mongodb://127.0.0.1:27117/" });
        options.Nodes.Add(new NodeOptions { Id = 2, Name = "node2", Uri = "mongodb://127.0.0.1:27118/" });
        options.Nodes.Add(new NodeOptions { Id = 3, Name = "node3", Uri = "mongodb://127.0.0.1:27119/" });
        return options;
    }

    public static DistributedSyncOptions Bind(IDictionary<string, string?> settings)
        => DistributedSyncOptionsBinder.Bind(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}

using System.Reflection;
using DistributedSync.Daemon.Logging;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace DistributedSync.Daemon.Tests.Logging;

public sealed class LoggingTests : IClassFixture<ApiHost>
{
    private readonly ApiHost _host;

    public LoggingTests(ApiHost host) => _host = host;

    [Fact]
    public void EventIdsAndNames_AreUniqueAcrossAreas()
    {
        var attributes = typeof(ClusterLog).Assembly.GetTypes()
            .Where(t => t.Namespace == "DistributedSync.Daemon.Logging")
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToList();

        Assert.True(attributes.Count >= 30, $"only {attributes.Count} log events found");
        Assert.Equal(attributes.Count, attributes.Select(a => a.EventId).Distinct().Count());
        Assert.Equal(attributes.Count, attributes.Select(a => a.EventName).Distinct().Count());
        Assert.All(attributes, a => Assert.InRange(a.EventId, 1000, 7999));
    }

    [Fact]
    public void DaemonStart_LogsEveryNodeWithItsPasswordRedacted()
    {
        var nodes = _host.Logs.Entries.Where(e => e.EventId.Id == 1005).Select(e => e.Message).ToList();

        Assert.Equal(3, nodes.Count);
        Assert.Contains(nodes, m => m.Contains("Node 1 (alpha) at mongodb://admin:****@127.0.0.1:27017/?authSource=admin", StringComparison.Ordinal));
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Message.Contains(TestSettings.SecretPassword, StringComparison.Ordinal));
        Assert.Contains(_host.Logs.Entries, e => e.EventId.Id == 5001 && e.Message.Contains("http://127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public void SerilogFromConfiguration_WritesTheRollingFile_WithEventIdsAndDebugWhenAsked()
    {
        var folder = Directory.CreateTempSubdirectory("distsync-log-");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Serilog:MinimumLevel:Default"] = "Information",
                ["Serilog:MinimumLevel:Override:DistributedSync.Cluster"] = "Debug",
                ["Serilog:WriteTo:0:Name"] = "File",
                ["Serilog:WriteTo:0:Args:path"] = Path.Combine(folder.FullName, "daemon-.log"),
                ["Serilog:WriteTo:0:Args:rollingInterval"] = "Day",
                ["Serilog:WriteTo:0:Args:outputTemplate"] = "[{Level:u3}] ({EventId}) {SourceContext}: {Message:lj}{NewLine}",
            }).Build();

            using (var serilog = SerilogSetup.CreateLogger(configuration))
            using (var factory = new SerilogLoggerFactory(serilog))
            {
                var cluster = factory.CreateLogger("DistributedSync.Cluster");
                cluster.NodeDown(2, "beta", MongoConnectionString.Parse("mongodb://svc:very-secret@10.1.1.2:27017/"), "3 heartbeats missed");
                cluster.HeartbeatRoundTrip(3, "gamma", 1.25);
                var election = factory.CreateLogger("DistributedSync.Election");
                election.ElectionWon(4, 3, "highest id among the up-to-date nodes");
                election.ElectionStarted(5, 1, "debug-level detail is filtered here");
                factory.CreateLogger("Other").LogDebug("filtered by the default level");
            }

            var text = File.ReadAllText(Directory.GetFiles(folder.FullName, "daemon-*.log").Single());

            Assert.Contains("[WRN] ({ Id: 1002, Name: \"NodeDown\" }) DistributedSync.Cluster: Node 2 (beta, mongodb://svc:****@10.1.1.2:27017/) is down: 3 heartbeats missed", text, StringComparison.Ordinal);
            Assert.Contains("[DBG] ({ Id: 1003, Name: \"HeartbeatRoundTrip\" })", text, StringComparison.Ordinal);
            Assert.Contains("Node 3 won the election for term 4: highest id among the up-to-date nodes", text, StringComparison.Ordinal);
            Assert.Contains("Election for term 5 started by node 1", text, StringComparison.Ordinal);
            Assert.DoesNotContain("filtered by the default level", text, StringComparison.Ordinal);
            Assert.DoesNotContain("very-secret", text, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void WithoutSerilogSection_LogsToTheConsoleAtInformation()
    {
        using var logger = SerilogSetup.CreateLogger(new ConfigurationBuilder().Build());

        Assert.True(logger.IsEnabled(Serilog.Events.LogEventLevel.Information));
        Assert.False(logger.IsEnabled(Serilog.Events.LogEventLevel.Debug));
    }

    [Fact]
    public void UnknownSink_IsAnError()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serilog:WriteTo:0:Name"] = "NoSuchSink",
        }).Build();

        var ex = Assert.Throws<InvalidOperationException>(() => SerilogSetup.CreateLogger(configuration).Dispose());

        Assert.Equal("Serilog:WriteTo:0: unknown Serilog sink 'NoSuchSink' (available: Console, File).", ex.Message);
    }
}

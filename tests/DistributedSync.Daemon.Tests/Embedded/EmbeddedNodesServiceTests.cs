using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DistributedSync.Daemon.Configuration;
using DistributedSync.Daemon.Embedded;
using DistributedSync.Daemon.Tests.Support;
using DistributedSync.Mongo;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DistributedSync.Daemon.Tests.Embedded;

/// <summary>Starts real emulator child processes on free ports.</summary>
public sealed class EmbeddedNodesServiceTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("distsync-embedded-");
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;

    public EmbeddedNodesServiceTests() => _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _data.Delete(recursive: true);
    }

    [Fact]
    public async Task StartsEveryNode_ThatAnswersPings_AndStopsThemWithSigterm()
    {
        var ct = TestContext.Current.CancellationToken;
        var ports = ProcessProbe.FreePorts(3);
        var service = CreateService(ports);

        await service.StartAsync(ct);
        var nodes = service.Nodes;
        try
        {
            Assert.Equal(3, nodes.Count);
            Assert.Equal(ports, nodes.Select(n => n.Plan.Port));
            foreach (var node in nodes)
            {
                Assert.True(ProcessProbe.IsRunning(node.ProcessId));
                Assert.True(Directory.Exists(Path.Combine(_data.FullName, node.Plan.Name)));
                await using var client = new MongoClient($"mongodb://127.0.0.1:{node.Plan.Port}/?connectTimeoutMS=5000");
                await client.PingAsync(ct);
            }

            Assert.Equal(3, _logs.Entries.Count(e => e.EventId.Id == 6002));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.Empty(service.Nodes);
        foreach (var node in nodes)
        {
            Assert.True(node.HasExited);
            Assert.Equal(0, await node.Exited);
            Assert.False(ProcessProbe.IsRunning(node.ProcessId));
        }

        Assert.Equal(3, _logs.Entries.Count(e => e.EventId.Id == 6005));
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Id == 6003);
    }

    [Fact]
    public async Task NodeKilledWhileRunning_IsReportedAndNotRestarted()
    {
        var ct = TestContext.Current.CancellationToken;
        var service = CreateService(ProcessProbe.FreePorts(3));
        await service.StartAsync(ct);
        try
        {
            var victim = service.Nodes[1];
            using (var process = System.Diagnostics.Process.GetProcessById(victim.ProcessId))
            {
                process.Kill();
            }

            await victim.Exited.WaitAsync(Deadline, ct);
            await Wait.UntilAsync(() => _logs.Entries.Any(e => e.EventId.Id == 6003), Deadline, "the exit is logged");

            var entry = _logs.Entries.Single(e => e.EventId.Id == 6003);
            Assert.Equal(LogLevel.Warning, entry.Level);
            Assert.Contains("not restarted automatically", entry.Message, StringComparison.Ordinal);
            Assert.Contains(victim.Plan.Name, entry.Message, StringComparison.Ordinal);
            Assert.Empty(ProcessProbe.WithCommandLine(victim.Plan.DbPath));
            Assert.False(service.Nodes[0].HasExited);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task PortInUse_FailsNamingTheNode_AndLeavesNoNodeRunning()
    {
        var ct = TestContext.Current.CancellationToken;
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var free = ProcessProbe.FreePorts(2);
        var service = CreateService([free[0], taken, free[1]]);

        var ex = await Assert.ThrowsAsync<EmbeddedNodeException>(() => service.StartAsync(ct));

        Assert.Equal("node2", ex.NodeName);
        Assert.Contains("Embedded node node2: the emulator exited with code 48", ex.Message, StringComparison.Ordinal);
        Assert.Contains(taken.ToString(CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.Empty(service.Nodes);
        Assert.Empty(ProcessProbe.WithCommandLine(_data.FullName));
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 6009 && e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Credentials_StartTheNodeWithAuthentication()
    {
        var ct = TestContext.Current.CancellationToken;
        var ports = ProcessProbe.FreePorts(3);
        var options = Options(ports);
        options.Nodes[0].Uri = $"mongodb://root:Secret-1@127.0.0.1:{ports[0]}/?authSource=admin";
        var service = new EmbeddedNodesService(Microsoft.Extensions.Options.Options.Create(options), _loggerFactory.CreateLogger<EmbeddedNodesService>());

        await service.StartAsync(ct);
        try
        {
            await using var authenticated = new MongoClient(options.Nodes[0].Uri);
            var serverStatus = new DistributedSync.Bson.BsonDocument("serverStatus", 1);
            var reply = await authenticated.RunCommandAsync("admin", serverStatus, cancellationToken: ct);
            Assert.Equal(1, reply["ok"].ToDouble());
            await using var anonymous = new MongoClient($"mongodb://127.0.0.1:{ports[0]}/");
            await Assert.ThrowsAnyAsync<MongoException>(() => anonymous.RunCommandAsync("admin", serverStatus, cancellationToken: ct));
            Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains("Secret-1", StringComparison.Ordinal));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Disabled_StartsNothing()
    {
        var options = Options(ProcessProbe.FreePorts(3));
        options.Embedded.Enabled = false;
        var service = new EmbeddedNodesService(Microsoft.Extensions.Options.Options.Create(options), _loggerFactory.CreateLogger<EmbeddedNodesService>());

        await service.StartAsync(TestContext.Current.CancellationToken);

        Assert.Empty(service.Nodes);
        Assert.Empty(_logs.Entries);
    }

    private EmbeddedNodesService CreateService(IReadOnlyList<int> ports)
        => new(Microsoft.Extensions.Options.Options.Create(Options(ports)), _loggerFactory.CreateLogger<EmbeddedNodesService>());

    private DistributedSyncOptions Options(IReadOnlyList<int> ports)
    {
        var options = new DistributedSyncOptions();
        for (var i = 0; i < ports.Count; i++)
        {
            options.Nodes.Add(new NodeOptions { Id = i + 1, Name = "node" + (i + 1).ToString(CultureInfo.InvariantCulture), Uri = $"mongodb://127.0.0.1:{ports[i]}/" });
        }

        options.Embedded.Enabled = true;
        options.Embedded.DataDirectory = _data.FullName;
        options.Embedded.StartTimeoutMs = (int)Deadline.TotalMilliseconds;
        options.Embedded.StopGraceMs = 10_000;
        Assert.True(new DistributedSyncOptionsValidator().Validate(null, options).Succeeded);
        return options;
    }
}

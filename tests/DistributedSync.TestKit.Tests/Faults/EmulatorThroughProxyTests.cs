using System.Diagnostics;
using System.Globalization;
using DistributedSync.Bson;
using DistributedSync.Mongo;
using DistributedSync.TestKit.Faults;
using DistributedSync.TestKit.Processes;

namespace DistributedSync.TestKit.Tests.Faults;

/// <summary>The proxy in front of a real emulator process, driven by the project's own client.</summary>
public sealed class EmulatorThroughProxyTests
{
    private static readonly TimeSpan SocketTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Ping_ThroughProxy_FailsWhileBlackholed_AndSucceedsAfterHeal()
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(TimeSpan.FromMinutes(2));
        var ct = guard.Token;
        await using var emulator = await EmulatorProcess.StartAsync(cancellationToken: ct);
        await using var proxy = FaultProxy.Start(emulator.Port);
        var timeout = ((int)SocketTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        await using var client = new MongoClient(
            $"mongodb://127.0.0.1:{proxy.Port.ToString(CultureInfo.InvariantCulture)}/?connectTimeoutMS={timeout}&socketTimeoutMS={timeout}&serverSelectionTimeoutMS=2000");

        await PingAsync(client, ct);
        Assert.True(proxy.ActiveConnections >= 1, "the client connected through the proxy");

        proxy.SetFault(Fault.Blackhole);
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAnyAsync<MongoException>(() => PingAsync(client, ct));
        clock.Stop();

        Assert.True(clock.Elapsed >= SocketTimeout - TimeSpan.FromMilliseconds(50), $"failed after {clock.Elapsed.TotalMilliseconds} ms: {error}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"failed only after {clock.Elapsed}: {error}");
        Assert.True(proxy.BytesDiscarded > 0, "the ping was swallowed by the blackhole");

        proxy.Heal();
        await PingAsync(client, ct);
    }

    private static async Task PingAsync(MongoClient client, CancellationToken cancellationToken)
    {
        var reply = await client.RunCommandAsync("admin", new BsonDocument("ping", 1), cancellationToken: cancellationToken);
        Assert.Equal(1.0, reply.GetValueOrDefault("ok")?.ToDouble());
    }
}
